package importer_test

import (
	"archive/zip"
	"bytes"
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
	archiveChangedDuringImport(t, true)
}

// TestOverlappedImportArchiveChangedCommitsNothing: the same change, made
// while an import that writes while it reads (overlap.go) writes its
// structure under its hold, fails that import with the same checksum error
// and commits nothing at all: its hold is rolled back, and the sequential
// import it hands over to reads the changed part first. Not parallel: the
// sequential one may run beside it.
func TestOverlappedImportArchiveChangedCommitsNothing(t *testing.T) {
	archiveChangedDuringImport(t, false)
}

// archiveChangedDuringImport flips a byte of the archive's second messages
// part as the import's structure phase begins; sequential or not
// (Options.Sequential).
func archiveChangedDuringImport(t *testing.T, sequential bool) {
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
	file := readTargetFile(t, e.target)

	flipped := false
	var points []string
	_, err = importInto(t, e.target, e.archive, importer.Options{Sequential: sequential, Batch: 100, Hooks: importer.Hooks{Point: func(p string) { points = append(points, p) }}, Progress: func(p importer.Progress) {
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
	switch got := held() - before; {
	case sequential && got != firstRecords:
		t.Errorf("the import committed %d messages, want the first part's %d and none of the changed part's", got, firstRecords)
	case !sequential:
		if len(points) == 0 || points[0] != "hold" || len(points) > 1 {
			t.Errorf("the import passed %q, want the hold only", points)
		}
		if got != 0 || !bytes.Equal(readTargetFile(t, e.target), file) {
			t.Errorf("the import under a hold committed %d messages, want none and the target file as it was", got)
		}
	}

	flip() // restored
	res, err := importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("import again with the archive restored: %v", err)
	}
	if res.Resumed != sequential {
		t.Errorf("the second import resumed the first: %v, want %v (the first one committed parts)", res.Resumed, sequential)
	}
	if got := held() - before; got != total {
		t.Errorf("after the second import the target holds %d messages of the archive's %d", got, total)
	}
}

// readTargetFile is the embedded target's file as it is.
func readTargetFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
