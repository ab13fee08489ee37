package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		opts WriterOptions
		rec  contents
	}{
		{"every record kind", WriterOptions{}, testRecords()},
		{"empty archive", WriterOptions{}, contents{}},
		{"principals only", WriterOptions{}, contents{Principals: testRecords().Principals}},
		{"rooms without messages", WriterOptions{}, contents{Rooms: testRecords().Rooms}},
		{"one message per chunk", WriterOptions{ChunkMessages: 1}, testRecords()},
		{"tiny byte chunks", WriterOptions{ChunkBytes: 10}, testRecords()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.zip")
			writeRecords(t, path, tc.opts, tc.rec)
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if err := r.Verify(context.Background()); err != nil {
				t.Fatalf("Verify() = %v", err)
			}
			got, err := readRecords(r)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.rec
			want.Rooms = withCounts(want.Rooms, want.Messages)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("records mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestManifestRoundTrip(t *testing.T) {
	since := time.Date(2023, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	in := Manifest{ToolVersion: "0.9.0", SourcePool: "pchat01.contoso.com", SourceDatabase: "sqlserver://sql01/pchat?database=mgc",
		Level: LevelContent, Scope: []string{"Sales", "Support \"EU\""}, Since: &since,
		Created: time.Date(2025, 6, 7, 10, 0, 0, 0, time.FixedZone("X", -7200))}
	path := filepath.Join(t.TempDir(), "out.zip")
	w, err := Create(path, WriterOptions{ChunkMessages: 4})
	if err != nil {
		t.Fatal(err)
	}
	rec := testRecords()
	for _, room := range rec.Rooms {
		if err := w.AddRoom(room); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range rec.Messages {
		if err := w.AddMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(in); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := r.Manifest()
	for i := range got.Parts { // checksums and sizes are checked elsewhere
		got.Parts[i].SHA256, got.Parts[i].Bytes = "", 0
	}
	sinceUTC := since.UTC()
	want := in
	want.Format, want.Tool, want.Since, want.Created = 1, "pcmig", &sinceUTC, in.Created.UTC()
	want.Counts = Counts{Rooms: 3, Messages: 11}
	want.Parts = []Part{
		{Name: "principals.jsonl", Kind: "principals"},
		{Name: "categories.jsonl", Kind: "categories"},
		{Name: "addins.jsonl", Kind: "addins"},
		{Name: "rooms.jsonl", Kind: "rooms", Records: 3},
		{Name: "messages/000001.jsonl", Kind: "messages", Records: 4},
		{Name: "messages/000002.jsonl", Kind: "messages", Records: 4},
		{Name: "messages/000003.jsonl", Kind: "messages", Records: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Manifest() mismatch (-want +got):\n%s", diff)
	}
	if loc := got.Created.Location(); loc != time.UTC {
		t.Errorf("Created location = %v, want UTC", loc)
	}
}

func TestChunking(t *testing.T) {
	rec := contents{Rooms: testRecords().Rooms}
	for i := 1; i <= 25; i++ {
		room := guid(300)
		if i > 10 {
			room = guid(302)
		}
		rec.Messages = append(rec.Messages, Message{Room: room, ChatID: int64(i), Date: bigTicks,
			User: guid(1), Content: fmt.Sprintf("message %02d", i)})
	}
	tests := []struct {
		name      string
		opts      WriterOptions
		wantParts []int64 // records per messages part
	}{
		{"by count", WriterOptions{ChunkMessages: 10}, []int64{10, 10, 5}},
		{"count equal to total", WriterOptions{ChunkMessages: 25}, []int64{25}},
		{"by bytes", WriterOptions{ChunkBytes: 1000}, []int64{5, 5, 5, 5, 5}},
		{"defaults", WriterOptions{}, []int64{25}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.zip")
			writeRecords(t, path, tc.opts, rec)
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var gotParts []int64
			for _, p := range r.Manifest().Parts {
				if p.Kind == KindMessages {
					gotParts = append(gotParts, p.Records)
					if p.Bytes > tc.opts.ChunkBytes && tc.opts.ChunkBytes > 0 {
						t.Errorf("part %s has %d bytes, limit %d", p.Name, p.Bytes, tc.opts.ChunkBytes)
					}
				}
			}
			if diff := cmp.Diff(tc.wantParts, gotParts); diff != "" {
				t.Errorf("records per part mismatch (-want +got):\n%s", diff)
			}
			var got []Message
			if err := r.Messages(func(m Message) error { got = append(got, m); return nil }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rec.Messages, got); diff != "" {
				t.Errorf("messages mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriterOutput checks the bytes the writer produces for fixed records,
// which other tools rely on (docs/archive-format.md).
func TestWriterOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.zip")
	rec := contents{
		Principals: []Principal{{GUID: guid(1), URI: "sip:a@b", Type: PrincipalUser, PoolID: ptr(int32(3)),
			AddedOn: bigTicks, UpdatedOn: bigTicks, VerifiedOn: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}},
		Categories: []Category{{GUID: guid(2), Name: "C", AllowedMembers: []string{guid(1)}}},
		Addins:     []Addin{{GUID: guid(3), Name: "A", URL: "https://a/?x=1&y=<2>"}},
		Rooms:      []Room{{GUID: guid(4), Name: "R", Category: "C", Privacy: "Open", Type: "Normal", Invitations: "Inherit", Messages: 99}},
		Messages: []Message{
			{Room: guid(4), ChatID: 1, Date: bigTicks, User: guid(1), Content: "a\"\\\x00\u2028é😀<&>"},
			{Room: guid(4), ChatID: 2, Date: bigTicks, User: guid(1), Alert: true, Content: "", RTF: ptr(`{\rtf1 x}`)},
		},
	}
	writeRecords(t, path, WriterOptions{}, rec)
	// The order of the zip's entries, as §1 and §9 of the format document
	// give it: the fixed parts, the chunks, rooms.jsonl (its message counts
	// are known only at the end), manifest.json last.
	var order []string
	for _, e := range readEntries(t, path) {
		order = append(order, e.name)
	}
	if want := []string{"principals.jsonl", "categories.jsonl", "addins.jsonl", "messages/000001.jsonl", "rooms.jsonl", ManifestName}; !slices.Equal(order, want) {
		t.Errorf("zip entries in the order %q, want %q", order, want)
	}
	got := map[string]string{}
	for _, e := range readEntries(t, path) {
		if e.name != ManifestName {
			got[e.name] = string(e.data)
		}
	}
	want := map[string]string{
		"principals.jsonl": `{"guid":"00000001-0000-4000-8000-000000000001","uri":"sip:a@b","type":"User","state":0,"pool_id":3,"policy_id":null,"added_on":"638512345678901237","updated_on":"638512345678901237","verified_on":"2024-01-02T03:04:05Z"}` + "\n",
		"categories.jsonl": `{"guid":"00000002-0000-4000-8000-000000000002","name":"C","description":"","invitations":false,"file_upload":false,"chat_history":false,"allowed_members":["00000001-0000-4000-8000-000000000001"],"denied_members":[],"creators":[],"added_by":"","added_on":"0","updated_by":"","updated_on":"0"}` + "\n",
		"addins.jsonl":     `{"guid":"00000003-0000-4000-8000-000000000003","name":"A","url":"https://a/?x=1&y=<2>"}` + "\n",
		"rooms.jsonl":      `{"guid":"00000004-0000-4000-8000-000000000004","name":"R","description":"","category":"C","privacy":"Open","type":"Normal","invitations":"Inherit","disabled":false,"addin":"","members":[],"managers":[],"presenters":[],"added_by":"","added_on":"0","updated_by":"","updated_on":"0","messages":"2"}` + "\n",
		"messages/000001.jsonl": `{"room":"00000004-0000-4000-8000-000000000004","chat_id":"1","date":"638512345678901237","user":"00000001-0000-4000-8000-000000000001","alert":false,"content":"a\"\\\u0000\u2028é😀<&>","rtf":null}` + "\n" +
			`{"room":"00000004-0000-4000-8000-000000000004","chat_id":"2","date":"638512345678901237","user":"00000001-0000-4000-8000-000000000001","alert":true,"content":"","rtf":"{\\rtf1 x}"}` + "\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("archive parts mismatch (-want +got):\n%s", diff)
	}
}

func TestOverwrite(t *testing.T) {
	tests := []struct {
		name      string
		overwrite bool
		existsAt  string // "create" or "commit": when the final file appears
		wantErr   string
		old       string // "text" or "archive": what is there
	}{
		{"refused at create", false, "create", "already exists", "archive"},
		{"refused at commit", false, "commit", "already exists", "archive"},
		{"allowed", true, "create", "", "archive"},
		{"allowed at commit", true, "commit", "", "archive"},
		{"not an archive at create", true, "create", "not a pcmig archive (it is not a zip file)", "text"},
		{"not an archive at commit", true, "commit", "not a pcmig archive (it is not a zip file)", "text"},
		{"a zip that is not an archive", true, "create", "not a pcmig archive (it is a zip file without a pcmig manifest)", "zip"},
	}
	earlier := filepath.Join(t.TempDir(), "earlier.zip")
	w, err := Create(earlier, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// An earlier version's archive: the writer is deterministic, so the
	// same manifest would give the same bytes when both writes fall in one
	// zip time stamp (2 seconds), and a replaced file would look kept.
	earlierManifest := testManifest()
	earlierManifest.ToolVersion = "1.0.0"
	if err := w.Commit(earlierManifest); err != nil {
		t.Fatal(err)
	}
	olds := map[string][]byte{"text": []byte("old content"), "archive": readAll(t, earlier), "zip": plainZip(t)}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.zip")
			old := olds[tc.old]
			if tc.existsAt == "create" {
				os.WriteFile(path, old, 0o600)
			}
			w, err := Create(path, WriterOptions{Overwrite: tc.overwrite})
			if err == nil {
				defer w.Abort()
				if tc.existsAt == "commit" {
					os.WriteFile(path, old, 0o600)
				}
				err = w.Commit(testManifest())
			}
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			data, _ := os.ReadFile(path)
			if gotOld := string(data) == string(old); gotOld != (tc.wantErr != "") {
				t.Errorf("old file kept = %v, want %v", gotOld, tc.wantErr != "")
			}
			if diff := cmp.Diff([]string{"out.zip"}, dirNames(t, dir)); diff != "" {
				t.Errorf("directory mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInterruptedWriterLeavesNoFinalFile(t *testing.T) {
	tests := []struct {
		name      string
		abort     bool
		wantFiles int // temporary files left: archive and room spool
	}{
		{"aborted", true, 0},
		{"abandoned (process killed)", false, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.zip")
			w, err := Create(path, WriterOptions{ChunkMessages: 2})
			if err != nil {
				t.Fatal(err)
			}
			rec := testRecords()
			for _, room := range rec.Rooms {
				if err := w.AddRoom(room); err != nil {
					t.Fatal(err)
				}
			}
			for _, m := range rec.Messages[:5] {
				if err := w.AddMessage(m); err != nil {
					t.Fatal(err)
				}
			}
			if tc.abort {
				if err := w.Abort(); err != nil {
					t.Fatal(err)
				}
				if err := w.AddMessage(rec.Messages[5]); err == nil {
					t.Error("AddMessage after Abort succeeded")
				}
			}
			names := dirNames(t, dir)
			if len(names) != tc.wantFiles {
				t.Errorf("files = %q, want %d temporary files", names, tc.wantFiles)
			}
			for _, n := range names {
				if n == "out.zip" {
					t.Errorf("final file exists before Commit")
				}
			}
			w.Abort()
			if diff := cmp.Diff([]string(nil), dirNames(t, dir)); diff != "" {
				t.Errorf("after Abort, directory mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// plainZip is a zip file with one entry and no manifest.
func plainZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("notes.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
