package store_test

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// TestHoldCommitsOnceOrNothing: under a hold (store/hold.go) the store's
// write transactions commit nothing and Commits does not move; the hold
// rolled back leaves the database as it was, committed it writes
// everything and counts one commit. A failed write breaks the hold (its
// writes are no savepoints): no write runs after it, and a commit rolls
// everything back with ErrHoldBroken, leaving the database as it was.
func TestHoldCommitsOnceOrNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	user, cat, room := addRoom(t, s, "c", "r", 0)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A room whose next append is refused inside its transaction (its chat
	// IDs would pass the largest).
	full, err := s.CreateRoom(ctx, pchat.Room{Name: "r2", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT OR REPLACE INTO tblLastChatId (nodeID, lastChatID) VALUES (?, ?)`, full, int64(math.MaxInt64-1)); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		t.Helper()
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM tblChat`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tt := range []struct {
		name           string
		commit, broken bool
	}{{"rolled back", false, false}, {"committed", true, false}, {"broken, committed", true, true}, {"broken, rolled back", false, true}} {
		before, commits := count(), s.Commits()
		if !s.CanHold() {
			t.Fatalf("%s: a writable embedded store cannot hold", tt.name)
		}
		if err := s.Hold(ctx); err != nil {
			t.Fatal(err)
		}
		if s.CanHold() || s.Hold(ctx) == nil {
			t.Errorf("%s: a second hold began inside the first", tt.name)
		}
		if _, err := s.AppendMessages(ctx, room, storetest.Msgs(3, user)); err != nil {
			t.Fatal(err)
		}
		if tt.broken {
			if _, err := s.AppendMessages(ctx, full, storetest.Msgs(2, user)); err == nil {
				t.Fatalf("%s: append past the largest chat ID: no error", tt.name)
			}
			if _, err := s.AppendMessages(ctx, room, storetest.Msgs(1, user)); !errors.Is(err, store.ErrHoldBroken) {
				t.Errorf("%s: a write after the failed one: %v, want ErrHoldBroken", tt.name, err)
			}
		}
		if s.Commits() != commits {
			t.Errorf("%s: Commits moved under the hold: %d, was %d", tt.name, s.Commits(), commits)
		}
		err := s.EndHold(tt.commit)
		if tt.commit && tt.broken {
			if !errors.Is(err, store.ErrHoldBroken) {
				t.Errorf("%s: EndHold: %v, want ErrHoldBroken", tt.name, err)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		want, wantCommits := before, commits
		if tt.commit && !tt.broken {
			want, wantCommits = before+3, commits+1
		}
		if n := count(); n != want {
			t.Errorf("%s: tblChat holds %d rows, want %d", tt.name, n, want)
		}
		if s.Commits() != wantCommits {
			t.Errorf("%s: Commits %d, want %d", tt.name, s.Commits(), wantCommits)
		}
		if s.Holding() {
			t.Errorf("%s: still holding after EndHold", tt.name)
		}
	}
	// The store writes as before once a broken hold ended.
	if _, err := s.AppendMessages(ctx, room, storetest.Msgs(1, user)); err != nil {
		t.Fatalf("an append after the broken hold: %v", err)
	}
	ro, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ro.CanHold() || ro.Hold(ctx) == nil {
		t.Error("a read-only store holds")
	}
}
