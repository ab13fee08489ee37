package filelock

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWait: Wait waits for a holder, gives up after its time naming
// ErrHeld, opens again a file its holder removed (Release), and without
// create reports a file that is not there.
func TestWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger")
	if _, err := Wait(path, false, time.Second); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Wait without create on no file: %v, want ErrNotExist", err)
	}
	first, err := Wait(path, true, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Wait(path, true, 50*time.Millisecond); !errors.Is(err, ErrHeld) {
		t.Fatalf("Wait while held: %v, want ErrHeld", err)
	}
	got := make(chan error, 1)
	go func() {
		lk, err := Wait(path, true, 10*time.Second)
		if err == nil {
			if _, serr := os.Stat(path); serr != nil {
				err = serr
			} else if _, werr := lk.File().WriteString("second\n"); werr != nil {
				err = werr
			}
			err = errors.Join(err, lk.Abandon())
		}
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if err := first.Release(); err != nil { // removes the file while locked
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "second\n" {
		t.Fatalf("the second holder's file: %q, %v", b, err)
	}
}
