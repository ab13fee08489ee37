package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEstateValuesCheckedWhenLoaded: export.level, export.since and a
// database's encrypt are checked when the estate is loaded (they failed
// only at step 1, or in doctor, quoting the value), naming the field, its
// line and what is expected, never the value; a password key is refused
// inside the script table too, at any depth.
func TestEstateValuesCheckedWhenLoaded(t *testing.T) {
	t.Parallel()
	const target = `db = "sqlite:target-2019.db",`
	sql := `db = { instance = "sql19.contoso.com\\rtc", database = "mgc", user = "pcmig", password_env = "PCMIG_PW", encrypt = "Hunter2" },`
	tests := []struct {
		old, new string
		want     []string
	}{
		{`level = "All",`, `level = "Hunter2",`, []string{"line 48", "export.level", "All, User, Category, RoomDirectory or Content"}},
		{`since = nil,`, `since = "Hunter2",`, []string{"line 48", "export.since", "YYYY-MM-DD"}},
		{target, sql, []string{"line 39", "target.db.encrypt", "true, false, strict or disable"}},
		{`move_batch = 50,`, `move_batch = 50, script = { password = "Hunter2" },`, []string{"line 55", "script.password", "password_env"}},
		{`move_batch = 50,`, "move_batch = 50, script = { a = {\n Password = \"Hunter2\" } },", []string{"line 56", "script.a.Password", "password_env"}},
	}
	for _, tt := range tests {
		t.Run(tt.new, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "200")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, tt.old, tt.new)
			for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}, {"doctor", "--estate", estFile}} {
				stdout, stderr, code := runCmdEnv(t, map[string]string{"PCMIG_PW": "x"}, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args[0], code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want...)
				if strings.Contains(strings.ReplaceAll(stdout+stderr, est, "EST"), "Hunter2") || strings.Contains(stdout, "Step 1/") {
					t.Errorf("pcmig %s quotes the value or ran:\n%s\n%s", args[0], stdout, stderr)
				}
			}
		})
	}
}

// TestEstateScriptTakesLists: the script table takes lists as well as
// records, at its top and inside; a table that mixes list items and named
// keys, or has keys that are neither, is refused naming the place.
func TestEstateScriptTakesLists(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	editEstate(t, estFile, `move_batch = 50,`, `move_batch = 50, script = { "ops@contoso.com", "it@contoso.com" },`)
	script := filepath.Join(t.TempDir(), "own.lua")
	writeFile(t, script, `local estate = require("estate")
print("notify: " .. #estate.script .. " " .. estate.script[2])`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", estFile)
	mustContain(t, "stdout", stdout, "notify: 2 it@contoso.com")

	for _, bad := range []string{`script = { [1] = "x", a = 1 },`, `script = { [true] = 1 },`, `script = { a = { [2.5] = 1 } },`} {
		est := labEstate(t, "--messages", "200")
		estFile := filepath.Join(est, "estate.lua")
		editEstate(t, estFile, `move_batch = 50,`, `move_batch = 50, `+bad)
		stdout, stderr, code := runCmd(t, "run", script, "--estate", estFile)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", bad, code, exitError, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "script", "a list (keys 1 to n) or a table with names as keys")
	}
}
