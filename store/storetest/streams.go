package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// testAnyOrderAndCounts: the reads verify and the reconciliation use. An
// AnyOrder stream (several rooms to a statement, keyset pages over
// channelId and chatId) gives each room's messages, together and in chat-ID
// order, exactly as a stream per room does: rooms given out of order and
// twice, a room without messages, pages that end inside a room and at its
// end, with and without a start date. MessageCounts is MessageStats
// without the two figures that need the text; LastChatIDs reads many rooms
// at once.
func testAnyOrderAndCounts(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	var rooms []int32
	for i := 0; i < 4; i++ {
		rid := must(s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("r%d", i), CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
		if i != 2 { // r2 has no message
			must(s.AppendMessages(ctx, rid, Msgs(9+4*i, u)))
		}
		rooms = append(rooms, rid)
	}
	asked := []int32{rooms[3], rooms[1], rooms[2], rooms[0], rooms[1]}
	for _, since := range []int64{0, Tick + 5*10_000_000} {
		perRoom := map[int32][]pchat.Message{}
		for _, r := range rooms {
			if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{r}, SinceTick: since}, func(m pchat.Message) error {
				perRoom[r] = append(perRoom[r], m)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, page := range []int{1, 4, 9, 5000} {
			got := map[int32][]pchat.Message{}
			var order []int32
			err := s.StreamMessages(ctx, store.MessageFilter{Rooms: asked, SinceTick: since, PageSize: page, AnyOrder: true}, func(m pchat.Message) error {
				if n := len(order); n == 0 || order[n-1] != m.RoomID {
					order = append(order, m.RoomID)
				}
				got[m.RoomID] = append(got[m.RoomID], m)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(perRoom, got); diff != "" {
				t.Errorf("since %d, page %d: AnyOrder stream differs from the per-room streams (-want +got):\n%s", since, page, diff)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(order)))) != len(order) {
				t.Errorf("since %d, page %d: a room's messages came apart: rooms in the order %v", since, page, order)
			}
		}
		stats := must(s.MessageStats(ctx, since))
		counts := must(s.MessageCounts(ctx, since))
		for id, st := range stats {
			st.ContentBytes, st.FileLinks = 0, 0
			stats[id] = st
		}
		if diff := cmp.Diff(stats, counts); diff != "" {
			t.Errorf("since %d: MessageCounts is not MessageStats without the text (-want +got):\n%s", since, diff)
		}
		for i, r := range rooms {
			want := int64(len(perRoom[r]))
			if got := counts[r].Messages; got != want {
				t.Errorf("since %d: room r%d: MessageCounts says %d messages, the stream gave %d", since, i, got, want)
			}
		}
	}
	lasts := must(s.LastChatIDs(ctx, asked))
	want := map[int32]int64{rooms[0]: 9, rooms[1]: 13, rooms[3]: 21}
	if diff := cmp.Diff(want, lasts); diff != "" {
		t.Errorf("LastChatIDs mismatch (-want +got):\n%s", diff)
	}
}
