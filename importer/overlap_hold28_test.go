package importer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/store"
)

// TestOverlappedImportCancelledUnderItsHold: an import writing while it
// reads (overlap.go), cancelled under its hold, before its commit, wrote
// nothing and was stopped, not refused (as an import cancelled before its
// first commit): Commits 0, no message in the target, none counted as
// imported.
func TestOverlappedImportCancelledUnderItsHold(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{ChunkMessages: 100})
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + e.target})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	var points []string
	point := func(p string) {
		points = append(points, p)
		if p == "hold" {
			cancel()
		}
	}
	res, err := importer.Import(c, s, e.archive, importer.Options{Batch: 50, Hooks: importer.Hooks{Point: point}})
	if len(points) == 0 || points[0] != "hold" {
		t.Fatalf("the import passed %q, want the hold", points)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled under the hold: err = %v, want context.Canceled", err)
	}
	if res == nil || res.Refused != "" || !res.Stopped || res.Messages.Imported != 0 {
		t.Fatalf("cancelled under the hold: result %+v; want stopped, not refused, nothing imported", res)
	}
	for _, r := range res.Rooms {
		if r.Imported != 0 {
			t.Errorf("room %s: %d imported, want 0", r.Name, r.Imported)
		}
	}
	if s.Commits() != 0 {
		t.Errorf("%d write transactions committed; want none", s.Commits())
	}
	var n int
	if err := e.db(t).QueryRow("SELECT COUNT(*) FROM tblChat").Scan(&n); err != nil || n != 0 {
		t.Errorf("the target holds %d messages (%v), want none", n, err)
	}
}
