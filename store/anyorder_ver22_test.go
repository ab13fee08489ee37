package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// An AnyOrder stream (verify's: many rooms to a statement) gives each
// room's messages, together and in chat-ID order, exactly as one stream
// per room does: across pages that end inside a room and at a room's
// end, with a start date, with rooms given out of order and twice, and
// with a room of no message.
func TestStreamMessagesAnyOrderIsEveryRoomsHistory(t *testing.T) {
	dir := t.TempDir()
	opts := lab.DefaultOptions()
	opts.Rooms, opts.Messages, opts.Seed = 30, 900, 5
	if _, err := lab.Init(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), ReadOnly: true, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rooms, err := s.Rooms(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int32
	for i := len(rooms) - 1; i >= 0; i-- {
		ids = append(ids, rooms[i].ID)
	}
	ids = append(ids, ids[3], 999999) // twice, and a room of no message
	stats, err := s.MessageStats(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var mid int64 // a start date inside the history
	for _, st := range stats {
		if st.Messages > 0 {
			mid = (st.FirstTick + st.LastTick) / 2
			break
		}
	}
	for _, since := range []int64{0, mid} {
		for _, page := range []int{1, 7, 30, 5000} {
			for _, per := range []int{1, 4, 500} {
				want := map[int32][]pchat.Message{}
				for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
					if err := s.StreamMessages(t.Context(), store.MessageFilter{Rooms: []int32{id}, SinceTick: since}, func(m pchat.Message) error {
						want[id] = append(want[id], m)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				}
				got := map[int32][]pchat.Message{}
				last := int32(-1)
				if err := s.StreamMessages(t.Context(), store.MessageFilter{Rooms: ids, SinceTick: since, PageSize: page, AnyOrder: true, RoomsPerRead: per}, func(m pchat.Message) error {
					if m.RoomID != last && got[m.RoomID] != nil {
						t.Fatalf("since %d, page %d, %d rooms a read: room %d's messages are not together", since, page, per, m.RoomID)
					}
					last = m.RoomID
					got[m.RoomID] = append(got[m.RoomID], m)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				n := 0
				for id, w := range want {
					n += len(w)
					if !slices.EqualFunc(w, got[id], func(a, b pchat.Message) bool {
						return a.ChatID == b.ChatID && a.Date == b.Date && a.Content == b.Content
					}) {
						t.Errorf("since %d, page %d, %d rooms a read: room %d: %d messages, want %d in chat-ID order", since, page, per, id, len(got[id]), len(w))
					}
				}
				if len(got) != len(want) || n == 0 {
					t.Errorf("since %d, page %d, %d rooms a read: %d rooms, want %d (%d messages)", since, page, per, len(got), len(want), n)
				}
			}
		}
	}
}
