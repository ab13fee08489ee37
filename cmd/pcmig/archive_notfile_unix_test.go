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

// TestImportAndInspectRefuseANamedPipe: pcmig import --file and pcmig
// inspect given a named pipe exit 1 at once, creating no database; both
// hung in the archive's open, deaf to SIGTERM.
func TestImportAndInspectRefuseANamedPipe(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "pipe.zip")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no named pipe: %v", err)
	}
	db := filepath.Join(dir, "target.db")
	for _, args := range [][]string{{"import", "--file", pipe, "--db", "sqlite:" + db}, {"inspect", pipe}} {
		t.Run(args[0], func(t *testing.T) {
			type result struct {
				stderr string
				code   int
			}
			done := make(chan result, 1)
			go func() { _, stderr, code := runCmd(t, args...); done <- result{stderr, code} }()
			select {
			case r := <-done:
				if r.code != 1 || !strings.Contains(r.stderr, "not a regular file") {
					t.Fatalf("exit %d, stderr %q; want 1 and 'not a regular file'", r.code, r.stderr)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("blocked on a named pipe")
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("target database: %v, want none", err)
			}
		})
	}
}
