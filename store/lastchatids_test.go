package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// LastChatIDs gives every room what LastChatID gives it (0, or no entry,
// for a room without messages), in real and in simulated (dry-run) stores:
// the export reads rooms' last chat IDs with it.
func TestLastChatIDsAgreesWithLastChatID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 24, Categories: 3, Rooms: 9, Messages: 300, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for _, shadow := range []bool{false, true} {
		s, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), Shadow: shadow})
		if err != nil {
			t.Fatal(err)
		}
		rooms, err := s.Rooms(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		ids := []int32{9999} // no such room: 0
		for _, r := range rooms {
			ids = append(ids, r.ID)
		}
		got, err := s.LastChatIDs(t.Context(), ids)
		if err != nil {
			t.Fatal(err)
		}
		nonzero := 0
		for _, id := range ids {
			want, err := s.LastChatID(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if got[id] != want {
				t.Errorf("shadow %v: room %d: LastChatIDs %d, LastChatID %d", shadow, id, got[id], want)
			}
			if want > 0 {
				nonzero++
			}
		}
		if nonzero == 0 {
			t.Errorf("shadow %v: no room with messages", shadow)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
