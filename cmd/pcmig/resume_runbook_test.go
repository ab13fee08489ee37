package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// killRealRun starts "pcmig run" of estFile in another process, with
// args, stops it once it prints at, and kills it (SIGKILL).
func killRealRun(t *testing.T, estFile, at string, args ...string) {
	t.Helper()
	gate := filepath.Join(t.TempDir(), "never")
	c := startChildEnv(t, []string{childPauseEnv + "=" + at + "|" + gate}, append([]string{"run", "--estate", estFile}, args...)...)
	c.waitFor(t, strings.TrimSuffix(at, "\n"), time.Minute)
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if _, _, code := c.finish(t); code == 0 {
		t.Fatalf("the run ended by itself before it was killed at %q", at)
	}
}

// normRunbook blanks the runbook's one timestamp (its header's Generated
// line), which differs from run to run.
func normRunbook(b []byte) string {
	b = generatedRE.ReplaceAll(b, []byte("Generated: TIME by pcmig VERSION"))
	// The runbook's ID digests its generation time (package runbook).
	return string(runbookIDRE.ReplaceAll(b, []byte("$$PcmigRunbook = 'ID'")))
}

var runbookIDRE = regexp.MustCompile(`\$PcmigRunbook = '[0-9a-f]{16}'`)

// TestResumedRunWritesTheWholeRunbook kills a run of a real estate at
// several points (SIGKILL) and resumes it: the runbook the resumed run
// writes holds every command of every step, those of the steps the killed
// run finished too, in step order, byte for byte as an uninterrupted
// run's. A kill after the last step, before the runbook was written, is
// repaired the same way.
func TestResumedRunWritesTheWholeRunbook(t *testing.T) {
	if testing.Short() {
		t.Skip("kills runs in other processes")
	}
	t.Parallel()
	steps := migrateSteps(t)
	header := func(i int) string { return fmt.Sprintf("== Step %d/%d: %s ==", i, len(steps), steps[i-1]) }
	for _, tc := range []struct {
		name, at string
		args     []string
	}{
		{"in step 7", header(7), nil},
		{"in step 7, cmdlet route", header(7), []string{"--runbook-cmdlets"}},
		{"in the last step", header(len(steps)), nil},
		{"after the run, before the runbook", "Report: ", []string{"--report", "REPORT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			args := func(name string) []string {
				a := append([]string{}, tc.args...)
				for i := range a {
					if a[i] == "REPORT" {
						a[i] = filepath.Join(out, name+".json")
					}
				}
				return a
			}
			clean := realEstate(t)
			mustRun(t, 0, append([]string{"run", "--estate", filepath.Join(clean, "estate.lua")}, args("clean")...)...)
			want := normRunbook(readFile(t, filepath.Join(clean, "runbook.ps1")))
			for _, cmd := range []string{"Set-CsSite", "robocopy.exe", "Set-CsPersistentChatConfiguration", "Move-PcmigUserBatch -Report", "Set-CsPersistentChatCategory"} {
				if !strings.Contains(want, cmd) {
					t.Fatalf("the uninterrupted run's runbook lacks %s", cmd)
				}
			}

			killed := realEstate(t)
			estFile := filepath.Join(killed, "estate.lua")
			at := tc.at
			if at == "Report: " {
				at += filepath.Join(out, "killed.json")
			}
			killRealRun(t, estFile, at, args("killed")...)
			stdout, stderr := mustRun(t, 0, append([]string{"run", "--estate", estFile, "--resume"}, args("resumed")...)...)
			mustContain(t, "resumed run", stdout, "skipped (finished in an earlier run)", "Runbook: "+filepath.Join(killed, "runbook.ps1"))
			got := normRunbook(readFile(t, filepath.Join(killed, "runbook.ps1")))
			if got != want {
				t.Errorf("the resumed run's runbook differs from the uninterrupted run's (-uninterrupted +resumed):\n%s\nstderr:\n%s",
					cmp.Diff(want, got), stderr)
			}
		})
	}
}

// TestResumeRefusesAJournalWithoutRunbookCommands: a real estate's journal
// whose finished steps carry no runbook commands (written by a pcmig that
// did not keep them) cannot give a whole runbook: --resume fails at the
// first such step, says to start over with --fresh, and writes no
// runbook.
func TestResumeRefusesAJournalWithoutRunbookCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a run in another process")
	}
	t.Parallel()
	steps := migrateSteps(t)
	est := realEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	killRealRun(t, estFile, fmt.Sprintf("== Step 7/%d: %s ==", len(steps), steps[6]))
	journal := filepath.Join(est, ".pcmig", "run-journal.json")
	var j map[string]any
	decodeJSON(t, readFile(t, journal), &j)
	finished, _ := j["finished_steps"].([]any)
	if len(finished) == 0 {
		t.Fatalf("the journal has no finished steps:\n%s", readFile(t, journal))
	}
	for _, st := range finished {
		data, _ := st.(map[string]any)["data"].(map[string]any)
		if _, ok := data["runbook"]; !ok {
			t.Fatalf("a finished step has no runbook record:\n%s", readFile(t, journal))
		}
		delete(st.(map[string]any), "data")
	}
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, journal, string(b))
	resealJournal(t, journal)
	runbookPath := filepath.Join(est, "runbook.ps1")

	stdout, stderr, code := runCmd(t, "run", "--estate", estFile, "--resume")
	if code != exitError {
		t.Fatalf("resume over a journal without runbook commands: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, fmt.Sprintf("step 1/%d %q failed", len(steps), steps[0]), "no runbook commands", "--fresh")
	if _, err := os.Stat(runbookPath); !os.IsNotExist(err) {
		t.Errorf("the refused resume wrote a runbook (stat: %v)", err)
	}
	if _, err := os.Stat(journal); err != nil {
		t.Errorf("the journal is gone: %v", err)
	}
}
