package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunWhoseLockCannotBeMadeSaysWhatToDo: a run whose lock file cannot
// be made in the estate's state folder (a file where the folder goes, a
// folder where the lock goes; a read-only or forbidden folder, which root
// cannot be shown here, takes the same path) is refused before its first
// step, saying where the lock goes and what to do, and writes nothing.
// Before, it said only "run lock: lock file: open ...: is a directory".
func TestRunWhoseLockCannotBeMadeSaysWhatToDo(t *testing.T) {
	t.Parallel()
	for name, spoil := range map[string]func(state string){
		"file where the folder goes": func(state string) { writeFile(t, state, "not a folder") },
		"folder where the lock goes": func(state string) {
			if err := os.MkdirAll(filepath.Join(state, "run.lock"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			est := labEstate(t, "--messages", "10")
			state := filepath.Join(est, ".pcmig")
			spoil(state)
			before := hashTree(t, est)
			stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"))
			if code != exitError || strings.Contains(stdout, "== Step") {
				t.Errorf("exit %d, want %d, and no step\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
			}
			mustContain(t, "stderr", stderr, "run lock: ", "the estate's state folder "+state, "can create files in", "then run again", "nothing was changed")
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("the refused run changed the estate (-before +after):\n%s", diff)
			}
		})
	}
}
