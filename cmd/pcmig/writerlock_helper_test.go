package main

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/pcmig/pcmig/filelock"
)

// holdWriterLock takes the writer lock file at path (a database's
// ".pcmig-lock") with the record a pcmig run of this process would write:
// another run, as the lock's holder is named, writing to that database.
// The caller releases it.
func holdWriterLock(t *testing.T, path string) *filelock.Lock {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	record, err := json.Marshal(map[string]any{"command": "pcmig run", "pid": os.Getpid(), "host": host, "since": time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	lk, _, err := filelock.Acquire(path, func([]byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if err := lk.Write(record); err != nil {
		t.Fatal(err)
	}
	return lk
}
