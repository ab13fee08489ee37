package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests of this file plant a secret-looking value in a damaged input
// and check that nothing pcmig says or writes about the damage quotes it:
// file contents never appear in errors (developers' guide).

const planted = "hunter2"

// noPlanted fails when the output or a file pcmig wrote under the given
// folders (but not the damaged input itself) holds the planted value.
func noPlanted(t *testing.T, output string, input string, dirs ...string) {
	t.Helper()
	if strings.Contains(output, planted) {
		t.Errorf("output quotes the damaged file:\n%s", output)
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path == input || filepath.Ext(path) == ".db" {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), planted) {
				t.Errorf("%s quotes the damaged file", path)
			}
			return nil
		})
	}
}

// TestDamagedPoolSettingsNotQuoted: a lab estate's pool-settings.json that
// is not the JSON pcmig writes stops pool.carry_settings with an io error
// that says where and what was expected, in the output, the report and the
// journal, and never with the file's bytes or values.
func TestDamagedPoolSettingsNotQuoted(t *testing.T) {
	t.Parallel()
	est := labEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	script := filepath.Join(est, "carry.lua")
	writeFile(t, script, "local pool = require('pool')\nstep('carry', function() pool.carry_settings('source', 'target') end)\n")
	settings := filepath.Join(est, "pool-settings.json")
	for _, tt := range []struct{ name, content, want, secret string }{
		{"not JSON", "{\n  \"persistent_chat_endpoints\": hunter2\n}\n", "line 2, column 32: expected a value", "'h'"},
		{"a string for a number", "{\"persistent_chat_configuration\": [\n {\"identity\": \"global\", \"default_chat_history\": \"hunter2\"}]}",
			"line 2: persistent_chat_configuration.default_chat_history: expected a whole number", "Go struct"},
		{"a number out of range", "{\"persistent_chat_configuration\": [{\"max_file_size_kb\": 1e99}], \"x\": \"hunter2\"}",
			"line 1: persistent_chat_configuration.max_file_size_kb: expected a whole number", "1e99"},
		{"a NUL byte", "{\"persistent_chat_endpoints\": []\x00 \"hunter2\"}", "line 1, column 33: expected ',' or '}'", `\x00`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, settings, tt.content)
			out := t.TempDir()
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile, "--fresh", "--report", filepath.Join(out, "report.json"), script)
			if code == 0 {
				t.Fatalf("run with a damaged pool-settings.json: exit 0\n%s", stdout)
			}
			mustContain(t, "run output", stdout+stderr, "pool settings", tt.want)
			if strings.Contains(stdout+stderr, "invalid character") || strings.Contains(stdout+stderr, tt.secret) {
				t.Errorf("output quotes encoding/json's text:\n%s", stdout+stderr)
			}
			noPlanted(t, stdout+stderr, settings, est, out)
			if got := string(readFile(t, settings)); got != tt.content {
				t.Errorf("pool-settings.json was rewritten: %q", got)
			}
		})
	}
}
