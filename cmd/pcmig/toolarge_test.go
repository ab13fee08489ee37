package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTooLargeEstateIsNamedInEnglish: an estate over its 1 MiB limit
// (docs/estate.md) is refused naming the limit; the message read "and a
// estate is at most 1048576".
func TestTooLargeEstateIsNamedInEnglish(t *testing.T) {
	t.Parallel()
	est := filepath.Join(t.TempDir(), "estate.lua")
	writeFile(t, est, strings.Repeat(" ", 1<<20)+"return {}\n")
	_, stderr, code := runCmd(t, "run", "--estate", est, "--dry-run")
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	mustContain(t, "refusal", stderr, "and an estate is at most 1048576")
}
