package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// editEstate replaces text in a lab estate file; the text must be there.
func editEstate(t *testing.T, estFile, old, new string) {
	t.Helper()
	src := string(readFile(t, estFile))
	if !strings.Contains(src, old) {
		t.Fatalf("estate has no %q", old)
	}
	writeFile(t, estFile, strings.Replace(src, old, new, 1))
}

// TestEstateRefusesUnknownKeys: a misspelt or unknown key of the estate's
// documented tables is refused, naming the key, its place and line, and the
// known key it is close to (it was ignored: on_conflcit = "fail" ran with
// the default merge); a password in a db table is refused, pointing to
// password_env, without quoting it. The script table holds what a script
// of one's own wants to read.
func TestEstateRefusesUnknownKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		old, new string
		want     []string
	}{
		{`on_conflict = "merge"`, `on_conflcit = "fail"`, []string{"line 49", "on_conflcit", "did you mean on_conflict"}},
		{`file_store = "filestore-2015"`, `file_stor = "filestore-2015"`, []string{"line 34", "source", "file_stor", "did you mean file_store"}},
		{`export = { level = "All",`, `export = { levle = "All",`, []string{"line 48", "export", "levle", "did you mean level"}},
		{`kind = "lab"`, `Kind = "lab"`, []string{"Kind", "did you mean kind"}},
		{`db = "sqlite:target-2019.db",`, `db = { instance = "sql19.contoso.com\\rtc", database = "mgc", user = "pcmig", password = "Hunter2!" },`,
			[]string{"line 39", "target.db", "password", "password_env"}},
		{`move_batch = 50,`, `move_batch = 50, ["not a name: Hunter2!"] = 1,`, []string{"line 55", "a key that pcmig does not know"}},
	}
	for _, tt := range tests {
		t.Run(tt.new, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "200")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, tt.old, tt.new)
			for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}, {"doctor", "--estate", estFile}} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args[0], code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want...)
				if strings.Contains(stdout+stderr, "Hunter2") {
					t.Errorf("pcmig %s quotes the estate file:\n%s", args[0], stderr)
				}
			}
		})
	}
	// The script table is the place for a script's own data.
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	editEstate(t, estFile, `move_batch = 50,`, `move_batch = 50, script = { window = "Saturday", notify = { "ops@contoso.com" } },`)
	script := filepath.Join(t.TempDir(), "own.lua")
	writeFile(t, script, `local estate = require("estate")
print("window: " .. estate.script.window .. ", " .. estate.script.notify[1])`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", estFile)
	mustContain(t, "stdout", stdout, "window: Saturday, ops@contoso.com")
}
