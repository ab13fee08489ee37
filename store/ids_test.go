package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// TestNoInheritedHistory removes a room the way a server may, leaving its
// chat rows and last chat ID behind, and creates rooms afterwards, in an
// embedded store made by pcmig and in a hand-made one without
// sqlite_sequence: no new room gets the old room's ID or its history.
func TestNoInheritedHistory(t *testing.T) {
	ctx := context.Background()
	for _, handmade := range []bool{false, true} {
		t.Run(fmt.Sprintf("handmade=%v", handmade), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pool.db")
			if handmade {
				writeHandmade(t, path, nil)
			} else {
				newPool(t, path)
			}
			s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path})
			if err != nil {
				t.Fatal(err)
			}
			u, cid, old := addRoom(t, s, "c", "old", 4)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			labtest.ExecSQLite(t, path, fmt.Sprintf(`DELETE FROM tblNode WHERE nodeID = %d`, old))

			s, err = store.Open(ctx, store.Config{DSN: "sqlite:" + path})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var c store.Changes
			ids := []int32{c.Room(pchat.Room{Name: "a", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}),
				c.Room(pchat.Room{Name: "b", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal})}
			a, err := s.Apply(ctx, &c)
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range ids {
				id := a.ID(ref)
				if id <= old {
					t.Errorf("new room got ID %d; the removed room %d left history, so want above it", id, old)
				}
				if first, err := s.AppendMessages(ctx, id, storetest.Msgs(1, u)); err != nil || first != 1 {
					t.Errorf("new room %d's first chat ID = %d, %v; want 1", id, first, err)
				}
			}
		})
	}
}
