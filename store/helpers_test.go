package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// snapshot lists the files in dir with the SHA-256 of their bytes, to show
// that something left a directory exactly as it was.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			out[e.Name()] = "(directory)"
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		out[e.Name()] = hex.EncodeToString(sum[:])
	}
	return out
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// addRoom writes test user 1, the category cat, an open room in it and n
// messages by the user in that room, and returns the user's, the
// category's and the room's IDs.
func addRoom(t *testing.T, s *store.Store, cat, room string, n int) (user, catID, roomID int32) {
	t.Helper()
	ctx := context.Background()
	user = storetest.AddUser(t, s, 1)
	catID, err := s.CreateCategory(ctx, pchat.Category{Name: cat})
	if err != nil {
		t.Fatal(err)
	}
	roomID, err = s.CreateRoom(ctx, pchat.Room{Name: room, CategoryID: catID, Privacy: pchat.Open, Type: pchat.Normal})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessages(ctx, roomID, storetest.Msgs(n, user)); err != nil {
		t.Fatal(err)
	}
	return user, catID, roomID
}
