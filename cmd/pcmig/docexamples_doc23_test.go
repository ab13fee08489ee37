package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsLuaExamplesRun runs every Lua example of docs/lua-api.md and
// docs/lua-runtime.md, after lua-api.md's list of requires, as a script of
// its own in a dry run of a migrated lab estate. TestDocsLuaExamplesValidate
// (bindings) checks only the names an example uses; lua-runtime.md's
// error-handling example passed it while it called import.run with an
// archive where the pool goes and on_conflict = "stop", a value import.run
// refuses, so an administrator who copied it got a Lua error, not the typed
// error the example catches. Left out, each for the reason given: fragments,
// the example of the Go test framework, and the steps example, whose
// export.run (without overwrite) is refused once the migrated lab has its
// archive, as lua-api.md says it is.
func TestDocsLuaExamplesRun(t *testing.T) {
	t.Parallel()
	leftOut := map[string]string{
		`step("export categories", function() ... end)`: "a fragment",
		`local expect = require("expect")`:              "the Go test framework's module",
		`export.run("source")`:                          "refused when the archive exists",
	}
	dir := labEstate(t, "--messages", "50")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	block := regexp.MustCompile("(?s)```lua\n(.*?)```")
	var preamble string
	ran := 0
	for _, doc := range []string{"lua-api.md", "lua-runtime.md"} {
		text := string(readFile(t, filepath.Join("..", "..", "docs", doc)))
		if preamble == "" {
			_, after, ok := strings.Cut(text, "Scripts `require` the modules they use:")
			if !ok {
				t.Fatalf("docs/%s: no list of requires", doc)
			}
			preamble = block.FindStringSubmatch(after)[1]
		}
	examples:
		for _, m := range block.FindAllStringSubmatchIndex(text, -1) {
			src := text[m[2]:m[3]]
			line := strings.Count(text[:m[2]], "\n") + 1
			if src == preamble {
				continue
			}
			for _, l := range strings.Split(src, "\n") {
				if _, ok := leftOut[strings.TrimSpace(l)]; ok {
					continue examples
				}
			}
			script := filepath.Join(dir, "example.lua")
			if err := os.WriteFile(script, []byte(preamble+src), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := runCmd(t, "run", script, "--estate", est, "--dry-run", "--fresh")
			if code != 0 && code != 2 {
				t.Errorf("docs/%s example at line %d: exit %d\n%s\n%s%s", doc, line, code, src, stdout, stderr)
			}
			ran++
		}
	}
	if ran < 15 {
		t.Errorf("ran only %d examples", ran)
	}
}
