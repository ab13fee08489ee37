package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateAndRunQuoteNoFileText validates and runs files that are not
// Lua, or Lua with a mistake, each holding a secret where the compiler
// stops, and a script that requires such a module: every command fails
// naming the file, line and what was expected, and no output, report or
// state file holds the secret (issue 10, item 8).
func TestValidateAndRunQuoteNoFileText(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	dir := t.TempDir()
	files := map[string]string{
		"shadow":        "root:$6$hunter2$Zx9:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
		"my.cnf":        "[client]\nuser=pcmig\npassword=hunter2 # the database\n",
		"creds.lua":     "local db_password = \"hunter2\nreturn db_password\n",
		"env.lua":       "export PCMIG_DB_PASSWORD=hunter2\n",
		"main.lua":      "local c = require(\"lib.creds\")\nstep(\"x\", function() print(c) end)\n",
		"lib/creds.lua": "-- credentials\npassword hunter2\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, text)
	}
	if err := os.Mkdir(filepath.Join(dir, "report"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, want string }{
		{"shadow", "shadow:1: syntax error: a character that Lua does not allow (column 6)"},
		{"my.cnf", "my.cnf:1: syntax error: unexpected '['"},
		{"creds.lua", "creds.lua:1: unterminated string"},
		{"env.lua", "env.lua:1: syntax error: an expression cannot stand alone as a statement"},
		{"main.lua", filepath.Join("lib", "creds.lua") + ":2: syntax error"},
	}
	for _, tc := range tests {
		script := filepath.Join(dir, tc.file)
		stdout, stderr, code := runCmd(t, "validate", script)
		if code != exitError {
			t.Errorf("validate %s: exit %d, want %d", tc.file, code, exitError)
		}
		mustContain(t, "validate "+tc.file, stderr, tc.want)
		if strings.Contains(stdout+stderr, "hunter2") {
			t.Errorf("validate %s quotes the file:\n%s%s", tc.file, stdout, stderr)
		}

		report := filepath.Join(dir, "report", tc.file+".json")
		stdout, stderr, code = runCmd(t, "run", script, "--estate", filepath.Join(est, "estate.lua"), "--report", report)
		if code != exitError {
			t.Errorf("run %s: exit %d, want %d", tc.file, code, exitError)
		}
		mustContain(t, "run "+tc.file, stderr, tc.want)
		if _, err := os.Stat(report); err != nil {
			t.Errorf("run %s wrote no report: %v", tc.file, err)
		}
		if strings.Contains(stdout+stderr, "hunter2") {
			t.Errorf("run %s quotes the file:\n%s%s", tc.file, stdout, stderr)
		}
	}
	// Reports and the estate's state folder: nothing pcmig wrote holds it.
	for _, root := range []string{filepath.Join(dir, "report"), est} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, ".db") {
				return err
			}
			b, err := os.ReadFile(path)
			if err == nil && strings.Contains(string(b), "hunter2") {
				t.Errorf("%s holds the secret", path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
