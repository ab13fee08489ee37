package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRunReportNotTheJournalsStepMark: --report naming the run journal or
// the run lock is refused, but one naming the journal's step mark
// (run-journal.json.step, beside it in the state folder) was taken: the
// run wrote its report there, exit 0, and the next run's step marks
// write over it, and its next journal save removes it (a report gone
// without a word), while the report in its place is read as a mark.
// Refused now as the journal is, before anything is written.
func TestRunReportNotTheJournalsStepMark(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	mark := filepath.Join(est, ".pcmig", "run-journal.json.step")
	if err := os.Mkdir(filepath.Dir(mark), 0o755); err != nil { // as an earlier run left it
		t.Fatal(err)
	}
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), "--report", mark)
	if code != exitUsage {
		t.Fatalf("run --report at the step mark: exit %d, want %d\n%s%s", code, exitUsage, stdout, stderr)
	}
	// Refused by its extension now (.step is no report's), before the
	// state files are looked at; the journal itself is run-journal.json.
	mustContain(t, "stderr", stderr, "--report "+mark+": give a file name ending in .html")
	if _, err := os.Stat(mark); !os.IsNotExist(err) {
		t.Errorf("the refused run wrote %s (stat: %v)", mark, err)
	}
	if _, err := os.Stat(filepath.Join(est, ".pcmig", "run-journal.json")); !os.IsNotExist(err) {
		t.Errorf("the refused run wrote a journal (stat: %v)", err)
	}
}
