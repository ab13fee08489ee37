package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reverse returns s with its bytes in reverse order.
func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// TestScriptSeesNoDSNPassword: require("estate") gave a script a DSN as the
// estate file holds it, password and all, and the scrubber masks only the
// forms it knows: a script printing the password reversed, or a character at
// a time, wrote it on the console and in the report. The estate table now
// holds the DSN with its password masked, as pcmig shows DSNs.
func TestScriptSeesNoDSNPassword(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	est := filepath.Join(dir, "estate.lua")
	const pw = "Sekr3tPassw0rd"
	src, err := os.ReadFile(est)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `db = "sqlite:target-2019.db"`,
		`db = "sqlserver://sa:`+pw+`@127.0.0.1:1?database=mgc&password=`+pw+`"`, 1)
	if edited == string(src) {
		t.Fatal("the lab estate has no target db line to edit")
	}
	writeFile(t, est, edited)
	script := filepath.Join(t.TempDir(), "leak.lua")
	writeFile(t, script, `local e = require("estate")
local db = e.target.db
print("db=" .. db)
print("reversed=" .. db:reverse())
print("spaced=" .. db:gsub(".", "%0 "))
require("log").warn("%s", db:reverse())
`)
	report := filepath.Join(t.TempDir(), "r.json")
	stdout, stderr, code := runCmd(t, "run", script, "--estate", est, "--dry-run", "--report", report)
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	mustContain(t, "stdout", stdout, "db=sqlserver://sa:xxxxx@127.0.0.1:1")
	rep, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	spaced := strings.Join(strings.Split(pw, ""), " ")
	for what, text := range map[string]string{"stdout": stdout, "stderr": stderr, "report": string(rep)} {
		for _, form := range []string{pw, reverse(pw), spaced} {
			if strings.Contains(text, form) {
				t.Errorf("%s holds the password as %q:\n%s", what, form, text)
			}
		}
	}
}
