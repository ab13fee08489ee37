package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/filelock"
)

// TestReaderRefusedWhileAnotherProcessWrites: while another process holds
// an embedded database's writer lock (its lock file locked, its record
// naming another pid), a store that only reads (read-only, dry run,
// doctor) is refused naming that process and its account; with a
// deadline on its context (pcmig run --timeout) it waits, gives up before
// the deadline saying how long it waited, or opens once the lock is given
// up. Before, each of them read the database.
func TestReaderRefusedWhileAnotherProcessWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := Open(ctx, Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	lk, _, err := filelock.Acquire(path+".pcmig-lock", func([]byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	if err := lk.Write(encodeHolder(Holder{Command: "pcmig import", User: "CONTOSO\\alice", PID: 1 << 22, Host: "ops01", Since: since})); err != nil {
		t.Fatal(err)
	}
	released := false
	defer func() {
		if !released {
			lk.Release()
		}
	}()
	dsn := "sqlite:" + path
	held := "held by pcmig import run by CONTOSO\\alice, pid 4194304 on host ops01, since 2026-12-02T01:00:00Z"
	refused := func(what string, err error) *LockedError {
		t.Helper()
		var le *LockedError
		if !errors.As(err, &le) || !errors.Is(err, ErrLocked) || !le.Reading {
			t.Fatalf("%s while another process writes: %v, want a reader's LockedError", what, err)
		}
		for _, want := range []string{path, "another pcmig process is writing to this database", held, "reads nothing", "wait until it ends"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v\ndoes not say %q", what, err, want)
			}
		}
		return le
	}
	for _, c := range []Config{{DSN: dsn, ReadOnly: true}, {DSN: dsn, Shadow: true}} {
		r, err := Open(ctx, c)
		if err == nil {
			r.Close()
		}
		if le := refused("reader "+dsn, err); le.Timeout || le.Waited != 0 {
			t.Errorf("waited %s without a deadline", le.Waited)
		}
	}
	doc, err := OpenDoctor(ctx, Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	refused("doctor", doc.err)
	doc.Close()

	// --timeout: waits, and gives up a second before the deadline.
	tctx, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	_, err = Open(tctx, Config{DSN: dsn, ReadOnly: true})
	if le := refused("reader with a deadline", err); !le.Timeout || le.Waited < 300*time.Millisecond || !strings.Contains(err.Error(), "shortly before the run's --timeout ends") {
		t.Errorf("with 1.5s to go the reader waited %s: %v", le.Waited, err)
	}
	if tctx.Err() != nil {
		t.Error("the reader gave up only once the deadline had passed")
	}
	// A writer waits the same way.
	tctx, cancel = context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = Open(tctx, Config{DSN: dsn})
	var le *LockedError
	if !errors.As(err, &le) || le.Reading || !le.Timeout || !strings.Contains(err.Error(), held) {
		t.Errorf("writer with a deadline: %v", err)
	}

	// Given up while a reader waits: it opens.
	go func() {
		time.Sleep(100 * time.Millisecond)
		lk.Release()
	}()
	released = true
	tctx, cancel = context.WithTimeout(ctx, time.Minute)
	defer cancel()
	r, err := Open(tctx, Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatalf("reader once the writer ended: %v", err)
	}
	r.Close()
}
