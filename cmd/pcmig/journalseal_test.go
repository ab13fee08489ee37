package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestResumeRefusesAnEditedJournal kills a run of a real estate in step
// 7, after the site switch's runbook commands were journaled, then edits
// the site those commands name in the journal (the estate still names
// its own). --resume refuses before any step: the journal is damaged or
// was edited, says so without quoting it, points to --fresh, and writes
// no runbook. Before, the journal's commands were replayed as they stood:
// the runbook set the default pool of the site the edit named. A journal
// cut short (a damaged disk) is refused the same way.
func TestResumeRefusesAnEditedJournal(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a run in another process")
	}
	t.Parallel()
	steps := migrateSteps(t)
	for _, tc := range []struct {
		name string
		edit func(string) string
	}{
		{"another site", func(s string) string {
			return strings.Replace(s, `"op": "site",`+"\n", `"op": "site",`+"\n", 1) // located below
		}},
		{"cut short", func(s string) string { return s[:len(s)*2/3] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			est := realEstate(t)
			estFile := filepath.Join(est, "estate.lua")
			killRealRun(t, estFile, fmt.Sprintf("== Step 7/%d: %s ==", len(steps), steps[6]))
			journal := filepath.Join(est, ".pcmig", "run-journal.json")
			old := string(readFile(t, journal))
			edited := tc.edit(old)
			if tc.name == "another site" {
				site := regexp.MustCompile(`"op": ?"site",\s*"args": ?\[\s*"((?:[^"\\]|\\.)*)"`).FindStringSubmatch(old)
				if site == nil {
					t.Fatalf("the journal records no site switch:\n%s", old)
				}
				edited = strings.Replace(old, `"`+site[1]+`"`, `"EvilSite"`, -1)
				edited = strings.Replace(edited, `"site": "EvilSite"`, `"site": "`+site[1]+`"`, 1) // the subject keeps the estate's
			}
			if edited == old {
				t.Fatal("the edit changed nothing")
			}
			writeFile(t, journal, edited)
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile, "--resume")
			if code != exitError {
				t.Fatalf("resume over an edited journal: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
			}
			mustContain(t, "stderr", stderr, "journal "+journal, "damaged or was edited", "--fresh")
			if strings.Contains(stdout+stderr, "EvilSite") || strings.Contains(stdout, "== Step") {
				t.Errorf("the refused resume ran steps or quoted the journal:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
			if _, err := os.Stat(filepath.Join(est, "runbook.ps1")); !os.IsNotExist(err) {
				t.Errorf("the refused resume wrote a runbook (stat: %v)", err)
			}
			if got := string(readFile(t, journal)); got != edited {
				t.Error("the refused resume rewrote the journal")
			}
		})
	}
}

// resealJournal gives a journal a test edited the checksum pcmig writes
// (runtime's seal: SHA-256 of the JSON without its leading checksum
// member), so that the test reaches what it checks behind the checksum.
func resealJournal(t *testing.T, path string) {
	t.Helper()
	b := string(readFile(t, path))
	if m := sealRE.FindStringSubmatch(b); m != nil {
		b = "{" + b[len(m[0]):]
	}
	sum := sha256.Sum256([]byte(b))
	writeFile(t, path, `{"checksum":"sha256:`+hex.EncodeToString(sum[:])+`",`+b[1:])
}

var sealRE = regexp.MustCompile(`^\{"checksum":"sha256:[0-9a-f]{64}",`)
