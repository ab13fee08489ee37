package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRaiseTakesTheModulesKinds: pcmig.raise raises "a typed error of the
// given kind, as the modules do" (lua-api.md), whose kinds are conflict,
// validation, not_found, database, io and argument; timeout, cancelled and
// memory are the runtime's, which "pcall cannot catch" (lua-runtime.md).
// pcmig.raise took any string: a misspelt kind ("validaton") raised an
// error no `err.kind == "validation"` test recognised, and
// pcall(pcmig.raise, "timeout", ...) caught a "timeout". Now such a kind is
// a mistake in the script (a plain Lua error naming the kinds), and the
// six kinds work as before.
func TestRaiseTakesTheModulesKinds(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	script := filepath.Join(est, "raise.lua")
	writeFile(t, script, `local pcmig = require("pcmig")
for _, k in ipairs({ "validaton", "timeout", "cancelled", "memory", "internal", "script", "syntax",
                     "conflict", "validation", "not_found", "database", "io", "argument" }) do
  local ok, err = pcall(pcmig.raise, k, "%d things", 3)
  if type(err) == "userdata" then
    print(k .. ": typed " .. err.kind .. ": " .. err.message)
  else
    print(k .. ": plain " .. tostring(err))
  end
end
`)
	out, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	lines := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if k, rest, ok := strings.Cut(l, ": "); ok {
			lines[k] = rest
		}
	}
	for _, k := range []string{"conflict", "validation", "not_found", "database", "io", "argument"} {
		if want := "typed " + k + ": 3 things"; lines[k] != want {
			t.Errorf("pcmig.raise(%q): %q, want %q", k, lines[k], want)
		}
	}
	for _, k := range []string{"validaton", "timeout", "cancelled", "memory", "internal", "script", "syntax"} {
		got := lines[k]
		if !strings.HasPrefix(got, "plain ") || !strings.Contains(got, `kind "`+k+`"`) ||
			!strings.Contains(got, "conflict, validation, not_found, database, io or argument") {
			t.Errorf("pcmig.raise(%q): %q, want a plain error naming the kind and the six kinds", k, got)
		}
	}
	mustContain(t, "misspelt kind", lines["validaton"], "did you mean validation?")
}
