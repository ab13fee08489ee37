package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// TestAppendErrorCounts: an append that fails names what it was appending,
// with a count of one in the singular ("append 1 message to room 3", not
// "1 messages").
func TestAppendErrorCounts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	user, _, room := addRoom(t, s, "c", "r", 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, c := range []struct {
		n    int
		want string
	}{
		{1, "append 1 message to room "},
		{2, "append 2 messages to room "},
	} {
		_, err := ro.AppendMessages(ctx, room, storetest.Msgs(c.n, user))
		if !errors.Is(err, store.ErrReadOnly) {
			t.Fatalf("append %d to a read-only store: %v, want ErrReadOnly", c.n, err)
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("append %d: %q does not say %q", c.n, err, c.want)
		}
	}
}
