package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"hash/crc32"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validEntries returns the entries of a valid archive of the test records
// with three messages parts.
func validEntries(t *testing.T) []entry {
	return readEntries(t, writeTest(t, WriterOptions{ChunkMessages: 4}))
}

func editManifest(t *testing.T, edit func(m *Manifest)) []byte {
	es := validEntries(t)
	m, _ := manifestOf(t, es)
	edit(&m)
	setManifest(t, es, m)
	return zipBytes(t, es)
}

func rawManifest(t *testing.T, edit func(string) string) []byte {
	es := validEntries(t)
	_, i := manifestOf(t, es)
	var compact bytes.Buffer
	if err := json.Compact(&compact, es[i].data); err != nil {
		t.Fatal(err)
	}
	es[i].data = []byte(edit(compact.String()))
	return zipBytes(t, es)
}

func withEntry(t *testing.T, name string) []byte {
	data := []byte("x")
	if strings.HasSuffix(name, "/") {
		data = nil
	}
	return zipBytes(t, append(validEntries(t), entry{name, data}))
}

func without(t *testing.T, name string) []byte {
	var es []entry
	for _, e := range validEntries(t) {
		if e.name != name {
			es = append(es, e)
		}
	}
	return zipBytes(t, es)
}

func validBytes(t *testing.T) []byte {
	data, err := os.ReadFile(writeTest(t, WriterOptions{ChunkMessages: 4}))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestOpenRejects(t *testing.T) {
	tests := []struct {
		name    string
		build   func(t *testing.T) []byte
		wantErr string
		wantIs  error
	}{
		{"valid", validBytes, "", nil},
		{"truncated to half", func(t *testing.T) []byte { d := validBytes(t); return d[:len(d)/2] }, "not a valid zip file (truncated or corrupt)", ErrNotArchive},
		{"truncated by one byte", func(t *testing.T) []byte { d := validBytes(t); return d[:len(d)-1] }, "not a valid zip file", ErrNotArchive},
		{"truncated to 100 bytes", func(t *testing.T) []byte { return validBytes(t)[:100] }, "not a valid zip file", ErrNotArchive},
		{"empty file", func(t *testing.T) []byte { return nil }, "not a valid zip file", ErrNotArchive},
		{"not a zip", func(t *testing.T) []byte { return []byte("hello, world\n") }, "not a valid zip file", ErrNotArchive},
		{"no manifest", func(t *testing.T) []byte { return without(t, ManifestName) }, "not a pcmig archive: no manifest.json", ErrNotArchive},
		{"manifest not JSON", func(t *testing.T) []byte { return rawManifest(t, func(string) string { return "<xml/>" }) }, "manifest.json is not a JSON object", ErrNotArchive},
		{"foreign tool", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Tool = "other" }) }, `not a pcmig archive: manifest.json does not name tool "pcmig"`, ErrNotArchive},
		{"future version", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Format = 2 }) }, "unsupported archive format version 2 (this pcmig reads version 1 only)", nil},
		{"version 0", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Format = 0 }) }, "unsupported archive format version 0", nil},
		{"version as string", func(t *testing.T) []byte {
			return rawManifest(t, func(s string) string { return strings.Replace(s, `"format":1`, `"format":"1"`, 1) })
		}, "format is missing or not an integer", nil},
		{"unknown manifest field", func(t *testing.T) []byte {
			return rawManifest(t, func(s string) string { return strings.Replace(s, `{`, `{"extra":1,`, 1) })
		}, "manifest.json: a field pcmig does not write", nil},
		{"unknown counts field", func(t *testing.T) []byte {
			return rawManifest(t, func(s string) string { return strings.Replace(s, `"counts":{`, `"counts":{"files":"0",`, 1) })
		}, "counts: a key pcmig does not write", nil},
		{"missing manifest field", func(t *testing.T) []byte {
			return rawManifest(t, func(s string) string { return strings.Replace(s, `"level":"All",`, ``, 1) })
		}, `field "level" is missing`, nil},
		{"unknown level", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Level = "Most" }) }, "level: want All", nil},
		{"level User holding categories", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Level = LevelUser }) },
			"manifest.json: part categories.jsonl holds 2 records, but the archive's level User covers principals only", ErrDamaged},
		{"level Category holding add-ins", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Level = LevelCategory }) },
			"part addins.jsonl holds 1 record, but the archive's level Category covers principals and categories only", ErrDamaged},
		{"level RoomDirectory holding messages", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Level = LevelRoomDirectory }) },
			"part messages/000001.jsonl holds 4 records, but the archive's level RoomDirectory covers principals, categories, add-ins and rooms, no messages", ErrDamaged},
		{"counts do not add up", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Counts.Messages++ }) }, "do not match the parts", nil},
		{"bad checksum syntax", func(t *testing.T) []byte { return editManifest(t, func(m *Manifest) { m.Parts[0].SHA256 = "ABC" }) }, "sha256 is not 64 lower-case hex digits", nil},
		{"parts out of order", func(t *testing.T) []byte {
			return editManifest(t, func(m *Manifest) { m.Parts[4], m.Parts[5] = m.Parts[5], m.Parts[4] })
		}, `part 5: want "messages/000001.jsonl"`, nil},
		{"fixed part missing from the manifest", func(t *testing.T) []byte {
			return editManifest(t, func(m *Manifest) { m.Parts = append(m.Parts[:2], m.Parts[3:]...) })
		}, `part 3: want "addins.jsonl" of kind "addins"`, nil},
		{"negative records", func(t *testing.T) []byte {
			return editManifest(t, func(m *Manifest) { m.Parts[0].Records, m.Counts.Principals = -1, -1 })
		}, "negative", nil},
		{"more records than bytes allow", func(t *testing.T) []byte {
			return editManifest(t, func(m *Manifest) { m.Parts[2].Records, m.Counts.Addins = 1000, 1000 })
		}, "cannot fit", nil},
		{"escaping entry", func(t *testing.T) []byte { return withEntry(t, "../evil") }, "zip entry 9 escapes the archive", nil},
		{"escaping entry inside", func(t *testing.T) []byte { return withEntry(t, "messages/../../x") }, "escapes the archive", nil},
		{"absolute entry", func(t *testing.T) []byte { return withEntry(t, "/abs") }, "zip entry 9 is an absolute path", nil},
		{"drive letter", func(t *testing.T) []byte { return withEntry(t, `C:\x`) }, "zip entry 9 has a drive letter", nil},
		{"drive-relative", func(t *testing.T) []byte { return withEntry(t, `c:x`) }, `has a drive letter`, nil},
		{"backslash", func(t *testing.T) []byte { return withEntry(t, `a\b`) }, "zip entry 9 contains a backslash", nil},
		{"NUL in name", func(t *testing.T) []byte { return withEntry(t, "a\x00b") }, "zip entry 9 contains a NUL byte", nil},
		{"dot element", func(t *testing.T) []byte { return withEntry(t, "./principals.jsonl") }, "is not a clean file path", nil},
		{"directory entry", func(t *testing.T) []byte { return withEntry(t, "messages/") }, "is not a clean file path", nil},
		{"extra entry", func(t *testing.T) []byte { return withEntry(t, "notes.txt") }, "zip entry 9 is not listed in the manifest", nil},
		{"extra message chunk", func(t *testing.T) []byte { return withEntry(t, "messages/000004.jsonl") }, "is not listed in the manifest", nil},
		{"missing part", func(t *testing.T) []byte { return without(t, "messages/000002.jsonl") }, "part messages/000002.jsonl listed in the manifest is missing from the zip", nil},
		{"duplicate entry", func(t *testing.T) []byte {
			es := validEntries(t)
			return zipBytes(t, append(es, es[0]))
		}, "zip entry 9 has the name of an earlier entry", nil},
		{"declared size smaller than entry (zip bomb)", func(t *testing.T) []byte {
			return editManifest(t, func(m *Manifest) { m.Parts[4].Bytes-- })
		}, "but the manifest declares", nil},
		{"declared size larger than entry", func(t *testing.T) []byte {
			return editManifest(t, func(m *Manifest) { m.Parts[4].Bytes += 1000 })
		}, "(truncated)", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(writeFile(t, tc.build(t)))
			if err == nil {
				r.Close()
			}
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("Open() error = %v, want %q", err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
		})
	}
}

func TestOpenVersionError(t *testing.T) {
	_, err := Open(writeFile(t, editManifest(t, func(m *Manifest) { m.Format = 7 })))
	var ve *VersionError
	if !errors.As(err, &ve) {
		t.Fatalf("Open() error = %v, want a *VersionError", err)
	}
	if diff := cmp.Diff(7, ve.Version); diff != "" {
		t.Errorf("version mismatch (-want +got):\n%s", diff)
	}
}

// flipByte flips one byte in the middle of an entry's compressed data.
func flipByte(t *testing.T, data []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			out := bytes.Clone(data)
			out[off+int64(f.CompressedSize64)/2] ^= 0x55
			return out
		}
	}
	t.Fatalf("no entry %s", name)
	return nil
}

// bombEntries replaces a part with far more data than the zip directory and
// the manifest declare.
func bombEntries(t *testing.T) []byte {
	es := validEntries(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		if e.name != "messages/000001.jsonl" {
			w, _ := zw.Create(e.name)
			w.Write(e.data)
			continue
		}
		big := bytes.Repeat(e.data, 1000)
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(big)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(e.data))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func replaced(t *testing.T, name string, edit func(data []byte) []byte) []byte {
	es := validEntries(t)
	replacePart(t, es, name, edit(partData(t, es, name)))
	return zipBytes(t, es)
}

// modified changes part data without updating the manifest.
func modified(t *testing.T, name string, edit func(data []byte) []byte) []byte {
	es := validEntries(t)
	for i := range es {
		if es[i].name == name {
			es[i].data = edit(es[i].data)
		}
	}
	return zipBytes(t, es)
}

func replaceFirst(old, new string) func([]byte) []byte {
	return func(data []byte) []byte { return bytes.Replace(data, []byte(old), []byte(new), 1) }
}

func TestVerifyRejects(t *testing.T) {
	const m1 = "messages/000001.jsonl"
	tests := []struct {
		name    string
		build   func(t *testing.T) []byte
		wantErr string
		wantIs  error
	}{
		{"flipped byte in compressed part", func(t *testing.T) []byte { return flipByte(t, validBytes(t), "messages/000002.jsonl") },
			"archive part messages/000002.jsonl: checksum mismatch (truncated or modified)", ErrChecksum},
		{"flipped byte in rooms", func(t *testing.T) []byte { return flipByte(t, validBytes(t), "rooms.jsonl") },
			"archive part rooms.jsonl: checksum mismatch", ErrChecksum},
		{"modified part with a valid zip CRC", func(t *testing.T) []byte { return modified(t, m1, replaceFirst("plain", "PLAIN")) },
			"archive part messages/000001.jsonl: checksum mismatch (truncated or modified)", ErrChecksum},
		{"zip directory understates the size (zip bomb)", bombEntries,
			"archive part messages/000001.jsonl: checksum mismatch (truncated or modified): data exceeds the declared", ErrChecksum},
		{"unknown room", func(t *testing.T) []byte { return replaced(t, m1, replaceFirst(guid(300), guid(399))) },
			"archive part messages/000001.jsonl: line 1: room 0000018f-0000-4000-8000-00000000018f of chat_id 1152921504606846976 is not in rooms.jsonl", nil},
		{"messages not grouped by room", func(t *testing.T) []byte {
			return replaced(t, "messages/000003.jsonl", func(d []byte) []byte {
				lines := bytes.SplitAfter(d, []byte("\n"))
				return bytes.Join([][]byte{lines[1], lines[0], lines[2]}, nil)
			})
		}, "line 2: room 0000012c-0000-4000-8000-00000000012c: messages are not grouped by room (chat_id 1152921504606846984 comes after other rooms' messages)", nil},
		{"chat IDs not increasing", func(t *testing.T) []byte {
			return replaced(t, m1, replaceFirst(`"chat_id":"1152921504606846977"`, `"chat_id":"1152921504606846976"`))
		}, "line 2: room 0000012c-0000-4000-8000-00000000012c: chat_id 1152921504606846976 follows chat_id 1152921504606846976", nil},
		{"room message count", func(t *testing.T) []byte {
			return replaced(t, "rooms.jsonl", replaceFirst(`"messages":"9"`, `"messages":"8"`))
		},
			"archive part rooms.jsonl: room 0000012c-0000-4000-8000-00000000012c declares 8 messages but the archive holds 9", nil},
		{"room message count of one", func(t *testing.T) []byte {
			return replaced(t, "rooms.jsonl", replaceFirst(`"messages":"9"`, `"messages":"1"`))
		},
			"archive part rooms.jsonl: room 0000012c-0000-4000-8000-00000000012c declares 1 message but the archive holds 9", nil},
		{"unknown message field", func(t *testing.T) []byte { return replaced(t, m1, replaceFirst(`"alert"`, `"priority":1,"alert"`)) },
			"line 1: a field pcmig does not write", nil},
		{"field in other case", func(t *testing.T) []byte { return replaced(t, m1, replaceFirst(`"alert"`, `"Alert"`)) },
			"line 1: a field pcmig does not write", nil},
		{"duplicate field", func(t *testing.T) []byte {
			return replaced(t, m1, replaceFirst(`"alert":true`, `"alert":true,"alert":false`))
		},
			`line 1: field "alert" appears twice`, nil},
		{"missing field", func(t *testing.T) []byte { return replaced(t, m1, replaceFirst(`,"rtf":null`, ``)) },
			`line 1: field "rtf" is missing`, nil},
		{"null content", func(t *testing.T) []byte {
			return replaced(t, m1, replaceFirst(`"content":"plain text"`, `"content":null`))
		},
			`line 1: field "content" is null`, nil},
		{"chat_id as a number", func(t *testing.T) []byte {
			return replaced(t, m1, replaceFirst(`"chat_id":"1152921504606846976"`, `"chat_id":1152921504606846976`))
		}, "line 1: column 58: chat_id: expected a whole number", nil},
		{"lone surrogate", func(t *testing.T) []byte { return replaced(t, m1, replaceFirst(`plain text`, `plain \ud800 text`)) },
			"line 1: column", nil},
		{"invalid UTF-8", func(t *testing.T) []byte { return replaced(t, m1, replaceFirst(`plain text`, "plain \xff text")) },
			"line 1: not valid UTF-8", ErrInvalidUTF8},
		{"upper-case GUID", func(t *testing.T) []byte {
			return replaced(t, "principals.jsonl", replaceFirst(`"guid":"00000001-0000-4000-8000-000000000001"`, `"guid":"00000001-0000-4000-8000-00000000000A"`))
		}, "archive part principals.jsonl: line 1: guid", nil},
		{"room with a category's GUID", func(t *testing.T) []byte {
			// The room's GUID replaced everywhere, its messages' too: only
			// the rule that a node's GUID is its own refuses it.
			es := validEntries(t)
			for _, e := range append([]entry(nil), es...) {
				if e.name == "rooms.jsonl" || strings.HasPrefix(e.name, "messages/") {
					replacePart(t, es, e.name, bytes.ReplaceAll(e.data, []byte(guid(300)), []byte(guid(101))))
				}
			}
			return zipBytes(t, es)
		}, "archive part rooms.jsonl: line 1: room 00000065-0000-4000-8000-000000000065 has the GUID of a category", nil},
		{"duplicate principal", func(t *testing.T) []byte { return replaced(t, "principals.jsonl", replaceFirst(guid(2), guid(1))) },
			"line 2: principal 00000001-0000-4000-8000-000000000001 appears twice", nil},
		{"empty line", func(t *testing.T) []byte {
			return replaced(t, "addins.jsonl", func(d []byte) []byte { return append(d, '\n') })
		},
			"archive part addins.jsonl: line 2: empty line", nil},
		{"no final newline", func(t *testing.T) []byte {
			return replaced(t, "addins.jsonl", func(d []byte) []byte { return append(d, d[:len(d)-1]...) })
		}, "archive part addins.jsonl: line 2: last line does not end with a newline", nil},
		{"trailing data after the object", func(t *testing.T) []byte { return replaced(t, "addins.jsonl", replaceFirst("}\n", "} {}\n")) },
			"archive part addins.jsonl: line 1: column 107: expected the end of the line", nil},
		{"fewer records than declared", func(t *testing.T) []byte {
			es := validEntries(t)
			m, _ := manifestOf(t, es)
			m.Parts[3].Records++
			m.Counts.Rooms++
			setManifest(t, es, m)
			return zipBytes(t, es)
		}, "archive part rooms.jsonl: holds 3 records but the manifest declares 4", nil},
		{"more records than declared", func(t *testing.T) []byte {
			es := validEntries(t)
			m, _ := manifestOf(t, es)
			m.Parts[3].Records--
			m.Counts.Rooms--
			setManifest(t, es, m)
			return zipBytes(t, es)
		}, "archive part rooms.jsonl: holds more than the 2 records the manifest declares", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(writeFile(t, tc.build(t)))
			if err != nil {
				t.Fatalf("Open() = %v", err)
			}
			defer r.Close()
			err = r.Verify(context.Background())
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("Verify() error = %v, want %q", err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			// The accessors find the same problem.
			if _, err := readRecords(r); !errorContains(err, tc.wantErr) {
				t.Errorf("accessors: error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestVerifyContext(t *testing.T) {
	r, err := Open(writeTest(t, WriterOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Verify(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify(canceled) = %v, want context.Canceled", err)
	}
}

func TestAccessorErrorPassesThrough(t *testing.T) {
	r, err := Open(writeTest(t, WriterOptions{ChunkMessages: 2}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	stop := errors.New("stop")
	var n int
	err = r.Messages(func(Message) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("Messages() = %v, want the callback's error unchanged", err)
	}
	if diff := cmp.Diff(3, n); diff != "" {
		t.Errorf("callbacks mismatch (-want +got):\n%s", diff)
	}
}
