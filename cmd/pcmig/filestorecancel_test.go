package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestRunCancelledDuringFileCopyStopsAndResumes: Ctrl-C while step 3
// copies a lab estate's file store stops the copy at the next file (the
// files are counted, not timed), leaves no temporary file, and the run
// says it was cancelled; --resume then completes the copy, byte-identical.
// Before, filestore.Copy took no context: the copy went on to the last
// file after the signal.
func TestRunCancelledDuringFileCopyStopsAndResumes(t *testing.T) {
	t.Parallel()
	const extra = 400
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	est := filepath.Join(dir, "estate.lua")
	src, dst := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-2019")
	if err := os.MkdirAll(filepath.Join(src, "bulk"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range extra {
		writeFile(t, filepath.Join(src, "bulk", fmt.Sprintf("f%03d.bin", i)), strings.Repeat(strconv.Itoa(i), 700))
	}

	// Cancelled at the first progress line past the start: a tenth copied.
	code, stdout, stderr := runCancelledAt(t, "%)", "run", "--estate", est)
	if code != exitError {
		t.Fatalf("cancelled run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "cancelled run's stderr", stderr, "copy files: uploaded files: ", "run cancelled")
	m := regexp.MustCompile(`copy files: uploaded files: (\d+) of (\d+) \(`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no progress line in\n%s", stderr)
	}
	atSignal, _ := strconv.Atoi(m[1])
	total, _ := strconv.Atoi(m[2])
	entries, err := os.ReadDir(filepath.Join(dst, "bulk"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "pcmig-copy") {
			t.Errorf("the cancelled copy left a temporary file %s", e.Name())
		}
	}
	// The progress counts every file looked at; the bulk folder may hold
	// at most one more than were done when Ctrl-C came.
	if len(entries) > atSignal+1 || atSignal >= total {
		t.Fatalf("Ctrl-C at %d of %d files: the target holds %d of the %d bulk files; the copy did not stop", atSignal, total, len(entries), extra)
	}

	stdout, _ = mustRun(t, 0, "run", "--estate", est, "--resume")
	mustContain(t, "resumed run", stdout, "EQUAL")
	want, got := hashTree(t, src), hashTree(t, dst)
	if len(want) != len(got) {
		t.Errorf("after resuming, the target store holds %d entries, the source %d", len(got), len(want))
	}
	for name, sum := range want {
		if got[name] != sum {
			t.Errorf("after resuming, %s differs or is missing in the target", name)
		}
	}
}
