package filelock

import (
	"errors"
	"path/filepath"
	"testing"
)

// A nil validator means no validation: a second Acquire while the lock is
// held is refused with the holder's record as it is (nil when the holder
// wrote nothing), not a nil-function panic.
func TestAcquireNilValidator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	first, _, err := Acquire(path, nil)
	if err != nil {
		t.Fatalf("first Acquire with a nil validator: %v", err)
	}
	defer first.Release()
	var held *HeldError
	_, _, err = Acquire(path, nil)
	if !errors.As(err, &held) || held.Record != nil {
		t.Fatalf("second Acquire before the holder wrote: %v (record %q), want a HeldError with no record", err, recordOf(held))
	}
	if err := first.Write([]byte("holder one")); err != nil {
		t.Fatal(err)
	}
	_, _, err = Acquire(path, nil)
	if !errors.As(err, &held) || string(held.Record) != "holder one" {
		t.Fatalf("second Acquire: %v (record %q), want a HeldError with the holder's record", err, recordOf(held))
	}
}
