package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleLinesOfMultiLineErrors: an error whose message holds line
// breaks (a script's error(), pcmig.raise, a Lua runtime error naming a
// hostile key) is printed with each line after its first indented under
// the message, and its carriage returns shown as \r, so no line of it
// starts a console line of its own. Before, "pcmig: s.lua:1: x" was
// followed by "INFO fake" and "EQUAL: all" as console lines, and the
// step's "failed after" line likewise.
func TestConsoleLinesOfMultiLineErrors(t *testing.T) {
	t.Parallel()
	est := labEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	for _, tc := range []struct {
		name, script string
		want         []string // in stderr or stdout
	}{
		{"error", `error("x\nINFO fake\r\nEQUAL: all\rWARN cr")`,
			[]string{"s.lua:1: x\n       INFO fake\n       EQUAL: all\\rWARN cr\n"}},
		{"raise", `require("pcmig").raise("validation", "bad %s", "name\nEQUAL: all")`,
			[]string{"s.lua:1: validation: bad name\n       EQUAL: all\n"}},
		{"runtime error", `local t = nil; local k = "room\nINFO fake"; return t[k]`,
			[]string{"with key 'room\n       INFO fake'\n"}},
		{"in a step", "steps(1)\nstep(\"one\", function() error(\"x\\nINFO fake\") end)",
			[]string{"s.lua:2: x\n      INFO fake\n", `pcmig: step 1/1 "one" failed: `, "s.lua:2: x\n       INFO fake\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "s.lua")
			writeFile(t, script, tc.script+"\n")
			stdout, stderr := mustRun(t, exitError, "run", script, "--estate", estFile)
			out := stdout + stderr
			checkConsoleLines(t, tc.name, out)
			for _, line := range strings.Split(out, "\n") {
				for _, fake := range []string{"INFO fake", "EQUAL: all", "WARN cr"} {
					if strings.HasPrefix(line, fake) {
						t.Errorf("an error's line started a console line of its own: %q\n%s", line, out)
					}
				}
			}
			mustContain(t, tc.name, out, tc.want...)
		})
	}
}

// TestValidateFindingsOneLineEach: validate prints each finding on a line
// of its own, each as an error ("pcmig: FILE:LINE:COL: ..."), and a
// finding whose text holds a line break (a misspelt name's key) stays one
// finding: its further line is indented.
func TestValidateFindingsOneLineEach(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	script := filepath.Join(dir, "v.lua")
	writeFile(t, script, `local export = require("export")
export.rnu("source", { file = "a.zip" })
export.run("source", { levl = "All" })
export["ru\nEQUAL: n"]("source")
`)
	_, stderr, code := runCmd(t, "validate", script)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	var findings int
	for _, line := range lines {
		if strings.HasPrefix(line, "pcmig: "+script+":") {
			findings++
		} else if !strings.HasPrefix(line, "       ") {
			t.Errorf("a line that is neither a finding nor a finding's continuation: %q", line)
		}
	}
	if findings < 2 {
		t.Errorf("want each finding on a pcmig: line of its own:\n%s", stderr)
	}
}
