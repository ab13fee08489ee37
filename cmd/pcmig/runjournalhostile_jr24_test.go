//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunJournalNotAFileOrHuge: the run journal in the state folder
// replaced by a named pipe, or by a file of hundreds of megabytes (sparse:
// a disk's worth of zeros), was read whole with os.ReadFile: the pipe hung
// `pcmig run --resume` for good (opening it waits for a writer), and the
// huge file was read into memory before anything was said. Both are now
// refused at once, naming the journal, with exit 1 and no step run.
func TestRunJournalNotAFileOrHuge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		make func(path string) error
		want string
	}{
		{"a named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file"},
		{"huge", func(p string) error {
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			return f.Truncate(300 << 20)
		}, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t)
			journal := filepath.Join(est, ".pcmig", "run-journal.json")
			if err := os.MkdirAll(filepath.Dir(journal), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := tc.make(journal); err != nil {
				t.Fatal(err)
			}
			type result struct {
				stdout, stderr string
				code           int
			}
			done := make(chan result, 1)
			go func() {
				stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), "--resume")
				done <- result{stdout, stderr, code}
			}()
			select {
			case r := <-done:
				if r.code != exitError {
					t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitError, r.stdout, r.stderr)
				}
				mustContain(t, "stderr", r.stderr, journal, tc.want, "--fresh")
				if strings.Contains(r.stdout, "== Step") {
					t.Errorf("steps ran:\n%s", r.stdout)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("pcmig run --resume still reading the journal after 60 s")
			}
		})
	}
}
