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

// TestDamagedEstateNotQuoted: an estate file whose table holds a value pcmig
// cannot use is refused naming the line of the estate file (not of any
// JSON pcmig makes of it), the field and what was expected, never the
// value.
func TestDamagedEstateNotQuoted(t *testing.T) {
	t.Parallel()
	const head = "return {\n  name = \"lab\",\n  source = { pool = \"a.contoso.com\", db = \"sqlite:a.db\" },\n" // lines 1-3
	const tail = "  target = { pool = \"b.contoso.com\", db = \"sqlite:b.db\" },\n}\n"
	for _, tt := range []struct{ name, fields, want, secret string }{
		{"a string for a number", "  kind = \"lab\",\n  move_batch = \"hunter2\",\n", "line 5: move_batch: expected a whole number, found a string", "Go struct"},
		{"a number out of range", "  kind = \"lab\",\n  move_batch = 1e99,\n", "line 5: move_batch: expected a whole number", "1e+99"},
		{"a number with a fraction", "  kind = \"lab\",\n\n  move_batch = 4.25,\n", "line 6: move_batch: expected a whole number", "4.25"},
		{"an unknown kind", "  kind = \"hunter2\",\n", "line 4: kind: want \"lab\" or \"real\"", ""},
		{"an unknown on_conflict", "  kind = \"lab\",\n  on_conflict = \"hunter2\",\n", "line 5: on_conflict: want merge, skip, rename or fail", ""},
		{"a string for true or false", "  kind = \"lab\",\n  sources = {\n    { pool = \"c.contoso.com\", db = { instance = \"sql\", database = \"mgc\",\n      trust_server_certificate = \"hunter2\" } },\n  },\n",
			"line 7: sources[1].db.trust_server_certificate: expected true or false, found a string", "DSN string"},
		{"a number for a string", "  kind = \"lab\",\n  sources = { { pool = \"c.contoso.com\", db = \"sqlite:c.db\" },\n    { pool = \"d.contoso.com\", db = \"sqlite:d.db\", archive = 31337 } },\n",
			"line 6: sources[2].archive: expected a string, found a number", "31337"},
		{"a key that is not a string", "  kind = \"lab\",\n  export = { scope = { [31337] = \"x\", y = \"z\" } },\n", "line 5: export.scope: a table key that is not a string", "31337"},
		{"a number that is not finite", "  kind = \"lab\",\n  notes = { 0/0 },\n", "line 5: a field pcmig does not read: a number that is not finite", "NaN"},
		{"a list of strings", "  kind = \"lab\",\n  creators = {\n    Eng = \"hunter2\",\n  },\n", "line 6: creators: an entry: expected a list", ""},
		{"a table for a list", "  kind = \"lab\",\n  export = { scope = { hunter2 = \"x\" } },\n", "line 5: export.scope: expected a list, found a table of named fields", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			estFile := filepath.Join(dir, "estate.lua")
			writeFile(t, estFile, head+tt.fields+tail)
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
			if code == 0 {
				t.Fatalf("run with a damaged estate: exit 0\n%s", stdout)
			}
			mustContain(t, "run output", stdout+stderr, "estate "+estFile+": "+tt.want)
			if strings.Contains(stdout+stderr, "json") || tt.secret != "" && strings.Contains(stdout+stderr, tt.secret) {
				t.Errorf("output quotes the estate or encoding/json:\n%s", stdout+stderr)
			}
			noPlanted(t, stdout+stderr, estFile, dir)
		})
	}
}
