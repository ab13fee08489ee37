//go:build unix

package fsguard

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadFileRefusesNamedPipe: a named pipe is refused, not opened (an
// open for reading blocks until some writer comes).
func TestReadFileRefusesNamedPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "estate.lua")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no named pipe: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p, MaxEstate, "estate"); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) {
			t.Fatalf("err = %v, want ErrNotRegular", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a named pipe")
	}
}
