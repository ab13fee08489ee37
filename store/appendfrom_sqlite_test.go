package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// TestAppendFromWritesWhatOneCallWrites: on the embedded store, groups
// appended by AppendRoomMessagesFrom in one transaction get the chat IDs
// and rows that AppendRoomMessages gives the same runs in one call: a
// later group sees the chat IDs the earlier ones took.
func TestAppendFromWritesWhatOneCallWrites(t *testing.T) {
	ctx := context.Background()
	history := func(fn func(s *store.Store, a, b int32, user int32)) []pchat.Message {
		s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(t.TempDir(), "t.db"), Create: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		user, cat, a := addRoom(t, s, "Cat", "A", 2)
		b, err := s.CreateRoom(ctx, pchat.Room{Name: "B", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal})
		if err != nil {
			t.Fatal(err)
		}
		fn(s, a, b, user)
		var out []pchat.Message
		if err := s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
			out = append(out, m)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	runs := func(a, b, user int32) [][]store.RoomMessages {
		return [][]store.RoomMessages{
			{{Room: a, Msgs: storetest.Msgs(3, user)}, {Room: b, Msgs: storetest.Msgs(2, user)}},
			{{Room: a, Msgs: storetest.Msgs(1, user)}, {Room: b, Msgs: storetest.Msgs(4, user)}},
		}
	}
	want := history(func(s *store.Store, a, b, user int32) {
		g := runs(a, b, user)
		if _, err := s.AppendRoomMessages(ctx, append(g[0], g[1]...)); err != nil {
			t.Fatal(err)
		}
	})
	got := history(func(s *store.Store, a, b, user int32) {
		g := runs(a, b, user)
		if err := s.AppendRoomMessagesFrom(ctx, func() ([]store.RoomMessages, error) {
			if len(g) == 0 {
				return nil, nil
			}
			next := g[0]
			g = g[1:]
			return next, nil
		}); err != nil {
			t.Fatal(err)
		}
	})
	if len(want) != 12 {
		t.Fatalf("one call wrote %d messages, want 12", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history mismatch (-one call +two groups):\n%s", diff)
	}
}
