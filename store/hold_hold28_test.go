package store_test

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// TestHoldCommitsOnceOrNothing: under a hold (store/hold.go) the store's
// write transactions commit nothing and Commits does not move; a failed
// one is undone alone (its savepoint); the hold rolled back leaves the
// database as it was, committed it writes everything and counts one
// commit.
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
	for _, commit := range []bool{false, true} {
		commits := s.Commits()
		if !s.CanHold() {
			t.Fatal("a writable embedded store cannot hold")
		}
		if err := s.Hold(ctx); err != nil {
			t.Fatal(err)
		}
		if s.CanHold() || s.Hold(ctx) == nil {
			t.Error("a second hold began inside the first")
		}
		if _, err := s.AppendMessages(ctx, room, storetest.Msgs(3, user)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AppendMessages(ctx, full, storetest.Msgs(2, user)); err == nil {
			t.Fatal("append past the largest chat ID: no error")
		}
		if last, err := s.LastChatID(ctx, room); err != nil || last != 3 {
			t.Errorf("under the hold the room's last chat ID is %d (%v), want 3: the failed append undid the first", last, err)
		}
		if s.Commits() != commits {
			t.Errorf("Commits moved under the hold: %d, was %d", s.Commits(), commits)
		}
		if err := s.EndHold(commit); err != nil {
			t.Fatal(err)
		}
		want, wantCommits := 0, commits
		if commit {
			want, wantCommits = 3, commits+1
		}
		if n := count(); n != want {
			t.Errorf("hold ended (commit %v): tblChat holds %d rows, want %d", commit, n, want)
		}
		if s.Commits() != wantCommits {
			t.Errorf("hold ended (commit %v): Commits %d, want %d", commit, s.Commits(), wantCommits)
		}
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
