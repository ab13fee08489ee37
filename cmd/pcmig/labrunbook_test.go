package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLabRunbookSaysNothingWritten: a lab estate applies its changes
// itself, so its runbook has no commands and none is written; --runbook
// on a lab estate said nothing about it, dry or real. It now warns, naming
// the file, and the run still succeeds.
func TestLabRunbookSaysNothingWritten(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	book := filepath.Join(t.TempDir(), "my.ps1")
	for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run", "--runbook", book}, {"run", "--estate", estFile, "--runbook", book}} {
		stdout, stderr, code := runCmd(t, args...)
		if code != exitOK && code != exitPending {
			t.Fatalf("pcmig %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "--runbook "+book, "not written", "lab estate")
		if _, err := os.Stat(book); err == nil {
			t.Errorf("pcmig %s wrote a runbook", strings.Join(args, " "))
		}
	}
}
