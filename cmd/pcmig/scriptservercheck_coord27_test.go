package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptPoolTableServerCheckPaired: a script's pool table or DSN on an
// estate server could turn the server's check off (trust_server_certificate,
// encrypt = "disable", another host_in_certificate or server_spn) and sign
// in there with the operator's own Windows or Kerberos credentials, which
// anyone between pcmig and the server could then take. Now it must check
// the server as a pool of the estate file does, refused before
// connecting. Failed before: every table connected (the listener's
// count).
func TestScriptPoolTableServerCheckPaired(t *testing.T) {
	t.Parallel()
	good, conns := listenCount(t)
	host, port, _ := strings.Cut(good, ",")
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc" }`)
	script := filepath.Join(t.TempDir(), "check.lua")
	// What the run itself opens of the estate's target, counted once.
	writeFile(t, script, "print('nothing')\n")
	runCmd(t, "run", script, "--estate", est, "--dry-run")
	base := conns.Load()
	writeFile(t, script, `local category = require("category")
local function try(what, db)
  local ok, err = pcall(category.list, {db = db})
  print(what .. ": " .. tostring(err))
end
try("trust", {instance = "`+good+`", database = "mgc", trust_server_certificate = true})
try("disable", {instance = "`+good+`", database = "mgc", encrypt = "disable"})
try("host", {instance = "`+good+`", database = "mgc", host_in_certificate = "other.example"})
try("spn", {instance = "`+good+`", database = "mgc", server_spn = "MSSQLSvc/other.example:1433"})
try("dsn", "sqlserver://`+host+`:`+port+`?database=mgc&encrypt=disable")
`)
	stdout, stderr, _ := runCmd(t, "run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	for _, what := range []string{"trust", "disable", "host", "spn", "dsn"} {
		mustContain(t, "output", out, what+": ")
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, what+": ") && !strings.Contains(l, "the estate file checks that server otherwise") {
				t.Errorf("%s was not refused: %s", what, l)
			}
		}
	}
	if n := conns.Load() - base; n != base {
		t.Errorf("the server got %d connections beyond the run's own %d from refused tables:\n%s", n-base, base, out)
	}
	// The estate's own check, another database on that server: allowed.
	writeFile(t, script, `local category = require("category")
print(pcall(category.list, {db = {instance = "`+good+`", database = "other", encrypt = "TRUE"}}))
`)
	stdout, stderr, _ = runCmd(t, "run", script, "--estate", est, "--dry-run")
	if strings.Contains(stdout+stderr, "checks that server otherwise") || conns.Load() <= 3*base {
		t.Errorf("the estate's own settings were refused or never connected (%d connections):\n%s%s", conns.Load(), stdout, stderr)
	}
}
