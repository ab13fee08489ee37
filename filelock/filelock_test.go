package filelock

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func anyRecord(b []byte) bool { return len(b) > 0 }

// A second Acquire, even in the same process, is refused with the
// holder's record; after Release the lock is free and the record gone.
func TestAcquireRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	first, prev, err := Acquire(path, anyRecord)
	if err != nil || len(prev) != 0 {
		t.Fatalf("first Acquire: %q, %v", prev, err)
	}
	if err := first.Write([]byte("holder one")); err != nil {
		t.Fatal(err)
	}
	_, _, err = Acquire(path, anyRecord)
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) || string(held.Record) != "holder one" {
		t.Fatalf("second Acquire: %v (record %q), want a HeldError with the holder's record", err, recordOf(held))
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); !errors.Is(err, os.ErrNotExist) && (err != nil || len(b) > 0) {
		t.Errorf("after Release the file holds %q (%v), want it removed or empty", b, err)
	}
	again, prev, err := Acquire(path, anyRecord)
	if err != nil || len(prev) != 0 {
		t.Fatalf("Acquire after Release: %q, %v", prev, err)
	}
	if err := again.Release(); err != nil {
		t.Fatal(err)
	}
}

// A file nobody holds is acquired with its content reported, and Abandon
// leaves it as it was.
func TestAcquireLeftBehind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	content := []byte("left by a killed holder")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	lk, prev, err := Acquire(path, anyRecord)
	if err != nil || !bytes.Equal(prev, content) {
		t.Fatalf("Acquire: %q, %v, want the content left behind", prev, err)
	}
	if err := lk.Abandon(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, content) {
		t.Errorf("after Abandon: %q, %v, want the file unchanged", b, err)
	}
}

func recordOf(h *HeldError) []byte {
	if h == nil {
		return nil
	}
	return h.Record
}

// A lock whose file was removed by hand (thought stale) no longer guards
// anything: another Acquire makes and locks a file of its own. The first
// holder can tell (Held), and its Release leaves the second's file and
// record alone. Before, Release removed the second holder's file, and a
// third Acquire then succeeded beside the second.
func TestLockWhoseFileWasRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	first, _, err := Acquire(path, anyRecord)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Held(); err != nil {
		t.Fatalf("Held of a fresh lock: %v", err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := first.Held(); !errors.Is(err, ErrLost) {
		t.Errorf("Held after the file was removed: %v, want ErrLost", err)
	}
	second, _, err := Acquire(path, anyRecord)
	if err != nil {
		t.Fatalf("Acquire after the file was removed: %v", err)
	}
	if err := second.Write([]byte("holder two")); err != nil {
		t.Fatal(err)
	}
	if err := first.Held(); !errors.Is(err, ErrLost) {
		t.Errorf("Held with another file there: %v, want ErrLost", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "holder two" {
		t.Errorf("after the first holder's Release the file holds %q (%v), want the second holder's record", b, err)
	}
	_, _, err = Acquire(path, anyRecord)
	var held *HeldError
	if !errors.As(err, &held) || string(held.Record) != "holder two" {
		t.Errorf("a third Acquire while the second holds the lock: %v, want a HeldError naming the second holder", err)
	}
	if err := second.Held(); err != nil {
		t.Errorf("the second holder's Held: %v", err)
	}
	if err := second.Release(); err != nil {
		t.Fatal(err)
	}
}
