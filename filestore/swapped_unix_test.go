//go:build unix

package filestore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCopyOfAFileSwappedForAPipe: a source file replaced by a named pipe
// between the walk and its copy is refused by name, not opened (an open
// for reading blocks until a writer comes, and no context reaches it: the
// copy hung for good). A source store is a share others write to.
func TestCopyOfAFileSwappedForAPipe(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write(t, src, "room1/a.txt", "hello")
	swapped := false
	progress := func(done, total int64) {
		if done != 0 || swapped {
			return
		}
		swapped = true
		p := filepath.Join(src, "room1", "a.txt")
		if err := os.Remove(p); err != nil {
			t.Error(err)
		}
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Errorf("mkfifo: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := CopyWith(ctx, src, dst, Options{Progress: progress})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "room1/a.txt") || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("CopyWith = %v, want an error naming room1/a.txt as not a regular file", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("the copy blocked opening a named pipe")
	}
	if _, err := os.Stat(filepath.Join(dst, "room1", "a.txt")); err == nil {
		t.Error("the target holds room1/a.txt")
	}
}
