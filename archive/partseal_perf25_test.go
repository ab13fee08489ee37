package archive

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// TestPartReadAgainChangedOnDisk: a part read again by the same Reader is
// checked by the SHA-256 of its compressed bytes recorded by the first
// read (partread.go), not by its inflated bytes' checksum. The part here
// is stored, with no CRC-32 in the zip directory (archive/zip then checks
// none), and one message's letter is changed in place on disk between the
// two reads: the records stay valid, the size and count are the same, and
// only the checksum can tell. The second read must refuse the part with
// ErrChecksum before its verified mark, and a Reader opened afresh must
// refuse it too (by the manifest's checksum). An unchanged part read again
// passes.
func TestPartReadAgainChangedOnDisk(t *testing.T) {
	es := validEntries(t)
	var name string // the messages part holding the message "first"
	var at int      // where in it
	for _, e := range es {
		if i := bytes.Index(e.data, []byte(`"first"`)); i >= 0 && strings.HasPrefix(e.name, "messages/") {
			name, at = e.name, i
		}
	}
	if name == "" {
		t.Fatal("no messages part holds the message \"first\"")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.name == name {
			h = &zip.FileHeader{Name: e.name, Method: zip.Store, CompressedSize64: uint64(len(e.data)), UncompressedSize64: uint64(len(e.data))}
			w, err := zw.CreateRaw(h) // no CRC-32, no data descriptor
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.data)
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, buf.Bytes())

	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	marks := 0
	read := func() error {
		marks = 0
		return r.MessageViewsByPart(func(*MessageView) error { return nil }, func() error { marks++; return nil })
	}
	parts := len(r.partsOf(KindMessages))
	if err := read(); err != nil || marks != parts {
		t.Fatalf("first read: %v, %d verified parts, want %d", err, marks, parts)
	}
	if err := read(); err != nil || marks != parts {
		t.Fatalf("unchanged archive read again: %v, %d verified parts, want %d", err, marks, parts)
	}

	// "first" becomes "farst" in place.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var off int64 = -1
	index := 0
	for _, f := range zr.File {
		if f.Name == name {
			if off, err = f.DataOffset(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, p := range r.partsOf(KindMessages) {
		if p.Name == name {
			index = i
		}
	}
	changed := bytes.Clone(buf.Bytes())
	changed[off+int64(at)+2] = 'a'
	if err := os.WriteFile(path, changed, 0o600); err != nil { // in place: the Reader's open file sees it
		t.Fatal(err)
	}
	err = read()
	var pe *PartError
	if !errors.Is(err, ErrChecksum) || !errors.As(err, &pe) || pe.Part != name {
		t.Fatalf("changed part read again: got %v, want a checksum error of part %s", err, name)
	}
	if marks != index {
		t.Fatalf("changed part read again: %d parts verified, want %d (the ones before it)", marks, index)
	}

	r2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	err = r2.MessageViews(func(*MessageView) error { return nil })
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("changed part, fresh Reader: got %v, want a checksum error", err)
	}
}

// TestDataDescriptorCRCChecked: a part whose data descriptor's CRC-32
// differs from the zip directory's is refused with a checksum error, as
// archive/zip's own reader refuses it; the part reader reads entries raw
// (zip.File.OpenRaw) since the compressed bytes are hashed, and keeps that
// check (it failed before: the descriptor was not read).
func TestDataDescriptorCRCChecked(t *testing.T) {
	data := validBytes(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var f *zip.File
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "messages/") {
			f = e
			break
		}
	}
	if f == nil || f.Flags&0x8 == 0 {
		t.Fatalf("want a messages part with a data descriptor, got %+v", f)
	}
	off, err := f.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	desc := off + int64(f.CompressedSize64)
	if string(data[desc:desc+4]) == "PK\x07\x08" {
		desc += 4 // the signature
	}
	changed := bytes.Clone(data)
	changed[desc] ^= 0x01
	// archive/zip itself refuses it.
	zr2, err := zip.NewReader(bytes.NewReader(changed), int64(len(changed)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr2.File {
		if e.Name == f.Name {
			rc, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
			if !errors.Is(err, zip.ErrChecksum) {
				t.Fatalf("archive/zip read the part with a changed data descriptor: %v", err)
			}
		}
	}
	r, err := Open(writeFile(t, changed))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = r.MessageViews(func(*MessageView) error { return nil })
	var pe *PartError
	if !errors.Is(err, ErrChecksum) || !errors.As(err, &pe) || pe.Part != f.Name {
		t.Fatalf("part with a changed data descriptor: got %v, want a checksum error of part %s", err, f.Name)
	}
}
