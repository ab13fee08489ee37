package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResumeWhenPasswordIsInTheJournal: pcmig masks the passwords it knows
// in every file it writes, the run journal included, by value; a password
// that is also text of the journal (a lab login's "2026", the year of
// every time the journal records; the estate's site name; "sha256", the
// prefix of its fingerprints; "true") was masked there too, and the
// journal could no longer be resumed: "journal ... is not valid: started:
// expected a time", "the estate changed since ... (site: was xxxxx, now
// xxxxx)", "the script has changed since the journal was written", or not
// JSON at all. The journal, the plan and JSON reports are now masked in
// their string values only, leaving times, digests and GUIDs, and a
// resumed run compares what it knows as the journal holds it, masked.
// Failed before: each --resume was refused (or warned of a changed
// script), and report.json was not JSON for "true".
func TestResumeWhenPasswordIsInTheJournal(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"2026", "Redmond", "sha256", "true", "first"} {
		dir := labEstate(t, "--messages", "20")
		est := filepath.Join(dir, "estate.lua")
		script := filepath.Join(dir, "steps.lua")
		writeFile(t, script, `local estate = require("estate")
step("first step", function() print("one") end)
step("second", function()
  if not estate.script or not estate.script.go_on then error("stopped on purpose") end
end)
`)
		vars := map[string]string{"PCMIG_DB_PASSWORD": pw}
		stdout, stderr, code := runCmdEnv(t, vars, "run", script, "--estate", est, "--report", filepath.Join(dir, "r.json"))
		if code == 0 || !strings.Contains(stdout+stderr, "stopped on purpose") {
			t.Fatalf("password %q: the first run did not stop in step 2 (exit %d):\n%s%s", pw, code, stdout, stderr)
		}
		b := readFile(t, filepath.Join(dir, "r.json"))
		if !json.Valid(b) {
			t.Errorf("password %q: report.json is not JSON:\n%s", pw, b)
		}
		// A dry run's report says "dry_run": true.
		runCmdEnv(t, vars, "run", script, "--estate", est, "--dry-run", "--report", filepath.Join(dir, "dry.json"), "--plan", filepath.Join(dir, "plan.json"))
		for _, f := range []string{"dry.json", "plan.json"} {
			if b := readFile(t, filepath.Join(dir, f)); !json.Valid(b) {
				t.Errorf("password %q: %s is not JSON:\n%s", pw, f, b)
			}
		}
		journal := readFile(t, filepath.Join(dir, ".pcmig", "run-journal.json"))
		if !json.Valid(journal) {
			t.Errorf("password %q: the journal is not JSON:\n%s", pw, journal)
		}
		if strings.Contains(strings.ToLower(string(journal)), `"`+strings.ToLower(pw)+`"`) {
			t.Errorf("password %q: the journal holds it as a value:\n%s", pw, journal)
		}
		src := string(readFile(t, est))
		writeFile(t, est, strings.Replace(src, "move_batch = 50,", "move_batch = 50, script = { go_on = true },", 1))
		stdout, stderr, code = runCmdEnv(t, vars, "run", script, "--estate", est, "--resume")
		out := stdout + stderr
		if code != 0 {
			t.Errorf("password %q: --resume failed (exit %d):\n%s", pw, code, out)
			continue
		}
		mustContain(t, "resume", out, "skipped (finished in an earlier run)")
		if strings.Contains(out, "has changed") {
			t.Errorf("password %q: the resumed run took the script for changed:\n%s", pw, out)
		}
		if _, err := os.Stat(filepath.Join(dir, ".pcmig", "run-journal.json")); err != nil {
			t.Error(err)
		}
	}
}
