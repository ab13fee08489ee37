package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// BenchmarkAppendParts appends 100,000 messages of 40 rooms to a new
// embedded store as the importer's writing goroutine does, on its own:
// AppendRoomMessagesFrom, a transaction per 10,000 messages (an archive
// part), in groups of about 5,000 that end wherever a room's batch ends.
// It reports CPU time per message, the figure to compare on a busy
// machine:
//
//	go test ./store -run '^$' -bench AppendParts -benchtime 5x
func BenchmarkAppendParts(b *testing.B) {
	const rooms, perRoom, part, group = 40, 2_500, 10_000, 5_000
	ctx := context.Background()
	var cpu int64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(b.TempDir(), fmt.Sprintf("parts%d.db", i)), Create: true})
		if err != nil {
			b.Fatal(err)
		}
		u, _, err := s.EnsurePrincipal(ctx, pchat.Principal{URI: "sip:bench@contoso.com", Type: pchat.TypeUser})
		if err != nil {
			b.Fatal(err)
		}
		cat, err := s.CreateCategory(ctx, pchat.Category{Name: "Bench"})
		if err != nil {
			b.Fatal(err)
		}
		// Batches of at most 1,700 messages of one room, as the decoder
		// sends them: 2,500 messages a room give batches of 1,700 and 800.
		var batches []store.RoomMessages
		for r := range rooms {
			id, err := s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("Room %d", r), CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal})
			if err != nil {
				b.Fatal(err)
			}
			msgs := benchMessages(perRoom, u, r*perRoom)
			for len(msgs) > 0 {
				n := min(len(msgs), 1_700)
				batches = append(batches, store.RoomMessages{Room: id, Msgs: msgs[:n]})
				msgs = msgs[n:]
			}
		}
		b.StartTimer()
		cpu0 := cputime.Process()
		for len(batches) > 0 {
			inTx, atMark := 0, false
			if err := s.AppendRoomMessagesFrom(ctx, func() ([]store.RoomMessages, error) {
				if atMark || len(batches) == 0 {
					return nil, nil
				}
				var runs []store.RoomMessages
				for n := 0; n < group && inTx < part && len(batches) > 0; {
					runs = append(runs, batches[0])
					n, inTx = n+len(batches[0].Msgs), inTx+len(batches[0].Msgs)
					batches = batches[1:]
				}
				atMark = inTx >= part
				return runs, nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		cpu += int64(cputime.Process() - cpu0)
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/float64(rooms*perRoom), "cpu-ns/msg")
}
