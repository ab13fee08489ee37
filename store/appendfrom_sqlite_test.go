package store_test

import (
	"context"
	"fmt"
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
// later group sees the chat IDs the earlier ones took. The second case's
// groups end between full INSERT statements of 100 rows, whose rest waits
// for the next group (chatInserter), and the transaction ends with a rest.
func TestAppendFromWritesWhatOneCallWrites(t *testing.T) {
	for _, sizes := range [][][2]int{{{3, 2}, {1, 4}}, {{150, 73}, {230, 99}, {0, 1}, {100, 0}}} {
		total := 0
		for _, g := range sizes {
			total += g[0] + g[1]
		}
		t.Run(fmt.Sprint(total), func(t *testing.T) { testAppendFromGroups(t, sizes, total) })
	}
}

// testAppendFromGroups appends groups of sizes[k][0] messages to room A
// and sizes[k][1] to room B.
func testAppendFromGroups(t *testing.T, sizes [][2]int, total int) {
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
		var g [][]store.RoomMessages
		for _, n := range sizes {
			g = append(g, []store.RoomMessages{{Room: a, Msgs: storetest.Msgs(n[0], user)}, {Room: b, Msgs: storetest.Msgs(n[1], user)}})
		}
		return g
	}
	want := history(func(s *store.Store, a, b, user int32) {
		var all []store.RoomMessages
		for _, runs := range runs(a, b, user) {
			all = append(all, runs...)
		}
		if _, err := s.AppendRoomMessages(ctx, all); err != nil {
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
	if len(want) != 2+total { // addRoom's 2, then the groups'
		t.Fatalf("one call left %d messages, want %d", len(want), 2+total)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history mismatch (-one call +two groups):\n%s", diff)
	}
}
