package main

import (
	"os"
	"path/filepath"
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
