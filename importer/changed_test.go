package importer_test

import (
	"archive/zip"
	"errors"
	"os"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
)

// TestArchiveChangedDuringImportCommitsNothingOfTheChangedPart: an archive
// changed on disk in place after the pre-pass checked it (a byte of its
// second messages part flipped as the structure is written) makes the
// import fail with a checksum error, having committed the messages of the
// first part and none of the second's, although it decodes most of the
// second before its damage shows; with the archive restored, running the
// import again brings every message, once.
func TestArchiveChangedDuringImportCommitsNothingOfTheChangedPart(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	e.export(t, exporter.Options{ChunkMessages: 500})
	r, err := archive.Open(e.archive)
	if err != nil {
		t.Fatal(err)
	}
	var second archive.Part
	var firstRecords, total int64
	for _, p := range r.Manifest().Parts {
		if p.Kind != archive.KindMessages {
			continue
		}
		if second.Name == "" && firstRecords > 0 {
			second = p
		} else if firstRecords == 0 {
			firstRecords = p.Records
		}
		total += p.Records
	}
	r.Close()
	if second.Name == "" {
		t.Fatal("the archive has one messages part")
	}
	// The byte to flip: near the end of the second part's data, so that
	// most of its messages decode before the damage shows.
	zr, err := zip.OpenReader(e.archive)
	if err != nil {
		t.Fatal(err)
	}
	var off int64
	for _, f := range zr.File {
		if f.Name == second.Name {
			if off, err = f.DataOffset(); err != nil {
				t.Fatal(err)
			}
			off += int64(f.CompressedSize64) * 9 / 10
		}
	}
	zr.Close()
	flip := func() {
		f, err := os.OpenFile(e.archive, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b := make([]byte, 1)
		if _, err := f.ReadAt(b, off); err != nil {
			t.Fatal(err)
		}
		b[0] ^= 0x40
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
	held := func() (n int64) {
		if err := e.db(t).QueryRow("SELECT COUNT(*) FROM tblChat").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := held()

	flipped := false
	// Sequential: the pre-pass has read the archive when the structure
	// phase begins (an import that writes while it reads reports that
	// phase once its hold is committed, overlap.go).
	_, err = importInto(t, e.target, e.archive, importer.Options{Sequential: true, Batch: 100, Progress: func(p importer.Progress) {
		if p.Phase == "structure" && !flipped {
			flipped = true
			flip() // in place, while the import has the archive open
		}
	}})
	if !flipped {
		t.Fatal("the import never reached its structure phase")
	}
	if !errors.Is(err, archive.ErrChecksum) {
		t.Fatalf("import of an archive changed during it: error %v, want a checksum error", err)
	}
	if got := held() - before; got != firstRecords {
		t.Errorf("the import committed %d messages, want the first part's %d and none of the changed part's", got, firstRecords)
	}

	flip() // restored
	res, err := importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("import again with the archive restored: %v", err)
	}
	if !res.Resumed {
		t.Errorf("the second import did not resume the first")
	}
	if got := held() - before; got != total {
		t.Errorf("after the second import the target holds %d messages of the archive's %d", got, total)
	}
}
