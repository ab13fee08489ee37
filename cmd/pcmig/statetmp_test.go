package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRunSweepsTemporariesOfAKilledRun: a run killed between writing its
// journal's temporary file and renaming it left ".run-journal.json.tmp-N"
// in the state folder for good. The next run, holding the folder's lock,
// removes such files and nothing else.
func TestRunSweepsTemporariesOfAKilledRun(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	state := filepath.Join(est, ".pcmig")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(state, ".run-journal.json.tmp-18673393")
	kept := filepath.Join(state, "notes.tmp-1")
	writeFile(t, left, `{"half": `)
	writeFile(t, kept, "the operator's")
	mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"))
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the killed run's temporary file is still there: %v", err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("a file of another name was removed: %v", err)
	}
}

// TestRunSweepsOutputTemporariesOfAKilledRun: a run writes its report and
// plan outside the state folder (--report DIR/r.html, --plan DIR/p.json),
// each into a temporary file beside it that is renamed into place. A run
// killed between the two left ".r.html.tmp-N" beside the report for good.
// Now a real run records each temporary file in the state folder as soon
// as it exists, and the next real run removes those of runs that ended,
// and nothing else: not a file of that form it did not record, not the
// outputs. The state left by a kill is made here from a run that ended
// (another process), by putting back the files its ledger names.
func TestRunSweepsOutputTemporariesOfAKilledRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pcmig in another process")
	}
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	estFile := filepath.Join(est, "estate.lua")
	out := t.TempDir()
	report, plan := filepath.Join(out, "r.html"), filepath.Join(out, "p.json")
	if _, stderr, code := runChild(t, "run", "--estate", estFile, "--report", report, "--plan", plan); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	ledger := filepath.Join(est, ".pcmig", "temporaries.jsonl")
	b, err := os.ReadFile(ledger)
	if err != nil {
		t.Fatalf("the run recorded no temporary file: %v", err)
	}
	var left []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e struct{ File string }
		decodeJSON(t, []byte(line), &e)
		left = append(left, e.File)
	}
	slices.Sort(left)
	if len(left) != 2 || !strings.HasPrefix(left[0], filepath.Join(out, ".p.json.tmp-")) || !strings.HasPrefix(left[1], filepath.Join(out, ".r.html.tmp-")) {
		t.Fatalf("the ledger records %v, want the report's and the plan's temporary files in %s", left, out)
	}
	for _, f := range left {
		writeFile(t, f, "half written")
	}
	theirs := []string{filepath.Join(out, ".r.html.tmp-42"), filepath.Join(out, "r.html.tmp-1"), filepath.Join(out, ".notes.tmp-7")}
	for _, f := range theirs {
		writeFile(t, f, "not pcmig's")
	}

	_, stderr := mustRun(t, 0, "run", "--estate", estFile, "--resume")
	for _, f := range left {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("the ended run's temporary file %s is still there: %v", f, err)
		}
		mustContain(t, "stderr", stderr, "Removed "+f)
	}
	for _, f := range append(theirs, report, plan) {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed: %v", f, err)
		}
	}
	if _, err := os.Stat(ledger); !os.IsNotExist(err) {
		t.Errorf("the ledger is left with nothing to record: %v", err)
	}
}
