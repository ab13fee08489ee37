package importer_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
)

// entry is one zip entry, decompressed.
type entry struct {
	name string
	data []byte
}

func readZip(t *testing.T, path string) []entry {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		out = append(out, entry{f.Name, b})
	}
	return out
}

func writeZip(t *testing.T, path string, entries []entry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// lastPart is the name of the archive's last messages part.
func lastPart(t *testing.T, path string) string {
	t.Helper()
	r, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	parts := r.Manifest().Parts
	return parts[len(parts)-1].Name
}

// edit rewrites the archive's zip entries, recompressed: their CRCs are
// right even where the content is not.
func edit(fn func([]entry) []entry) func(*testing.T, string) {
	return func(t *testing.T, path string) { writeZip(t, path, fn(readZip(t, path))) }
}

func TestCorruptArchivesAreRefused(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	// Several message parts: damage in the last one is found only by
	// reading every message, which the import does before it writes.
	e.export(t, exporter.Options{ChunkMessages: 500})
	last := lastPart(t, e.archive)
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string)
		wantErr error  // errors.Is, or nil for wantVer
		wantVer bool   // an *archive.VersionError
		phrase  string // the error names what is wrong
	}{
		{"truncated", func(t *testing.T, path string) {
			b := readFile(t, path)
			if err := os.WriteFile(path, b[:len(b)*2/3], 0o600); err != nil {
				t.Fatal(err)
			}
		}, archive.ErrNotArchive, false, "truncated"},
		{"not a zip file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("manifest.json\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, archive.ErrNotArchive, false, "not a valid zip"},
		{"flipped byte in the last part", func(t *testing.T, path string) {
			zr, err := zip.OpenReader(path)
			if err != nil {
				t.Fatal(err)
			}
			var off int64
			for _, f := range zr.File {
				if f.Name == last {
					if off, err = f.DataOffset(); err != nil {
						t.Fatal(err)
					}
					off += int64(f.CompressedSize64 / 2)
				}
			}
			zr.Close()
			b := readFile(t, path)
			b[off] ^= 0x40
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, archive.ErrChecksum, false, last},
		{"changed message with a valid zip CRC", edit(func(es []entry) []entry {
			for i := range es {
				if es[i].name == last {
					// Same size, one letter's case swapped.
					b := es[i].data
					for j := bytes.Index(b, []byte(`"content":"`)) + len(`"content":"`); j < len(b); j++ {
						if c := b[j] | 0x20; c >= 'a' && c <= 'z' {
							b[j] ^= 0x20
							break
						}
					}
				}
			}
			return es
		}), archive.ErrChecksum, false, last},
		{"unknown format version", edit(func(es []entry) []entry {
			for i := range es {
				if es[i].name == archive.ManifestName {
					es[i].data = bytes.Replace(es[i].data, []byte(`"format": 1,`), []byte(`"format": 2,`), 1)
				}
			}
			return es
		}), nil, true, "version 2"},
		{"no manifest", edit(func(es []entry) []entry {
			var out []entry
			for _, x := range es {
				if x.name != archive.ManifestName {
					out = append(out, x)
				}
			}
			return out
		}), archive.ErrNotArchive, false, archive.ManifestName},
		{"entry outside the archive", edit(func(es []entry) []entry {
			return append(es, entry{"../../target-2019.db", []byte("x")})
		}), nil, false, "escapes the archive"},
		{"part missing", edit(func(es []entry) []entry {
			var out []entry
			for _, x := range es {
				if x.name != last {
					out = append(out, x)
				}
			}
			return out
		}), nil, false, last},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "damaged.zip")
			labtest.CopyFile(t, e.archive, path)
			tt.damage(t, path)
			target := filepath.Join(dir, "target.db")
			labtest.CopyFile(t, e.target, target)
			before := readFile(t, target)
			_, err := importInto(t, target, path, importer.Options{})
			switch {
			case err == nil:
				t.Fatal("Import accepted a damaged archive")
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("Import: error %v, want %v", err, tt.wantErr)
			case tt.wantVer && !errors.As(err, new(*archive.VersionError)):
				t.Errorf("Import: error %v, want an *archive.VersionError", err)
			case !strings.Contains(err.Error(), tt.phrase):
				t.Errorf("Import: error %q does not mention %q", err, tt.phrase)
			}
			if !bytes.Equal(before, readFile(t, target)) {
				t.Errorf("importing a damaged archive changed the target database file")
			}
			if diff := cmp.Diff([]string{"damaged.zip", "target.db"}, listDir(t, dir)); diff != "" {
				t.Errorf("files mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
