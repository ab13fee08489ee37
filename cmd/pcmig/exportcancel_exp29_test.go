package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportCancelledMidPartLeavesNoArchive: Ctrl-C while the export
// writes its messages parts (the second of three, written by the
// archive's zipSink goroutine) says the export was cancelled and that it
// left no archive, and it did not: nothing under --file, no temporary
// file beside it. Run again, the export writes the whole archive.
func TestExportCancelledMidPartLeavesNoArchive(t *testing.T) {
	t.Parallel()
	src := filepath.Join(labEstate(t, "--messages", "30000"), "source-2015.db")
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "a.zip")
	code, stdout, stderr := runCancelledAt(t, "export messages: 10000 of", "export", "--db", "sqlite:"+src, "--file", zipPath)
	if code != exitError {
		t.Fatalf("cancelled export: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "cancelled export's stderr", stderr,
		"pcmig: cancelled (Ctrl-C or SIGTERM); an interrupted export leaves no archive under --file: run it again")
	if strings.Contains(stderr, "context canceled") {
		t.Errorf("cancelled export's stderr says context canceled:\n%s", stderr)
	}
	if left, err := os.ReadDir(dir); err != nil || len(left) != 0 {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Fatalf("the cancelled export left %q in the archive's directory, want nothing", names)
	}
	stdout, _ = mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zipPath)
	mustContain(t, "export run again", stdout, "30000 messages")
}
