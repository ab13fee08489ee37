package verify_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/verify"
)

// verifyReads migrates a lab of the given number of rooms and returns the
// statements verify ran on both pools.
func verifyReads(t *testing.T, rooms int) int64 {
	t.Helper()
	dir := t.TempDir()
	opts := lab.DefaultOptions()
	opts.Rooms, opts.Messages, opts.Seed = rooms, rooms*20, 3
	if _, err := lab.Init(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	m := &migration{dir: dir, source: filepath.Join(dir, "source-2015.db"), target: filepath.Join(dir, "target-2019.db"), archive: filepath.Join(dir, "a.zip")}
	m.export(t, exporter.Options{})
	m.importArchive(t, importer.Options{})
	src, tgt := open(t, m.source, true), open(t, m.target, true)
	before := src.Reads() + tgt.Reads()
	res, err := verify.Run(t.Context(), []verify.Source{{Label: "pchat15", Store: src, Archive: m.archive}}, tgt, verify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, res)
	return src.Reads() + tgt.Reads() - before
}

// verify's statements do not grow with the number of rooms: it read
// every room's history with a statement of its own on each side (two per
// room: 20,000 rooms made 40,000 round trips to SQL Server).
func TestVerifyStatementsDoNotGrowWithRooms(t *testing.T) {
	small, large := verifyReads(t, 20), verifyReads(t, 400)
	if large > small+4 {
		t.Errorf("verify ran %d statements for 20 rooms, %d for 400 rooms: they grow with the rooms", small, large)
	}
	t.Logf("statements: %d for 20 rooms, %d for 400 rooms", small, large)
}
