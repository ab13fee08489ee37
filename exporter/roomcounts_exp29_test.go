package exporter_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/store"
)

// TestExportCountsEachRoomsMessages: the export files each room's count
// once per run of the room's messages (they come grouped by room); the
// counts it reports, and those the archive's rooms carry, are the rows
// each room has in tblChat, for every room, the last one included.
func TestExportCountsEachRoomsMessages(t *testing.T) {
	_, path := newSource(t)
	s := open(t, path, true)
	out := filepath.Join(t.TempDir(), "a.zip")
	res, err := exporter.Export(ctx, s, out, exporter.Options{ChunkMessages: 700})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", store.SQLiteURI(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, byGUID := map[string]int64{}, map[string]int64{}
	withMessages := 0
	for _, r := range rooms {
		var n int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM tblChat WHERE channelId = ?`, r.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		want[r.Name], byGUID[r.GUID] = n, n
		if n > 0 {
			withMessages++
		}
	}
	if withMessages < 3 {
		t.Fatalf("the lab estate has %d rooms with messages; the test needs several", withMessages)
	}
	got := map[string]int64{}
	for _, r := range res.Rooms {
		got[r.Name] = r.Messages
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Result.Rooms' message counts (-tblChat +export):\n%s", diff)
	}
	r, err := archive.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	inArchive := map[string]int64{}
	if err := r.Rooms(func(room archive.Room) error { inArchive[room.GUID] = room.Messages; return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(byGUID, inArchive); diff != "" {
		t.Errorf("the archive's rooms' message counts (-tblChat +archive):\n%s", diff)
	}
}
