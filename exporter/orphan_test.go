package exporter_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestExportWarnsAboutRoomsOutsideCategories: a room whose parent node is
// not a category (a damaged or hand-edited database) cannot be exported;
// the export says so instead of dropping it silently.
func TestExportWarnsAboutRoomsOutsideCategories(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "mgc.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + db, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := s.CreateCategory(ctx, pchat.Category{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Kept", "Stray"} {
		if _, err := s.CreateRoom(ctx, pchat.Room{Name: name, CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE tblNode SET parentID = (SELECT nodeID FROM tblNode WHERE nodeName = 'Kept') WHERE nodeName = 'Stray'`); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(ctx, store.Config{DSN: "sqlite:" + db, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := filepath.Join(t.TempDir(), "a.zip")
	res, err := exporter.Export(ctx, s, out, exporter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `room "Stray" is not in a category`) {
		t.Errorf("Warnings = %q, want one about room Stray", res.Warnings)
	}
	r, err := archive.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rooms []string
	if err := r.Rooms(func(x archive.Room) error { rooms = append(rooms, x.Name); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rooms) != 1 || rooms[0] != "Kept" {
		t.Errorf("archive rooms = %q, want [Kept]", rooms)
	}
}
