package archive

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWriterRejects checks records the writer refuses, and that a refused
// record leaves the writer usable and out of the archive.
func TestWriterRejects(t *testing.T) {
	base := testRecords()
	p, c, a, room := base.Principals[0], base.Categories[0], base.Addins[0], base.Rooms[0]
	msg := Message{Room: guid(300), ChatID: 10, User: guid(1), Content: "ok"}
	setup := []func(w *Writer) error{
		func(w *Writer) error { return w.AddPrincipal(p) },
		func(w *Writer) error { return w.AddCategory(c) },
		func(w *Writer) error { return w.AddAddin(a) },
		func(w *Writer) error { return w.AddRoom(room) },
		func(w *Writer) error { return w.AddRoom(base.Rooms[1]) },
		func(w *Writer) error { return w.AddRoom(base.Rooms[2]) },
		func(w *Writer) error { return w.AddMessage(Message{Room: guid(300), ChatID: 7, User: guid(1)}) },
		func(w *Writer) error { return w.AddMessage(Message{Room: guid(301), ChatID: 1, User: guid(1)}) },
		func(w *Writer) error { return w.AddMessage(Message{Room: guid(301), ChatID: 100, User: guid(1)}) },
	}
	tests := []struct {
		name    string
		at      int // setup steps before add
		add     func(w *Writer) error
		wantErr string
		wantIs  error
	}{
		{"upper-case GUID", 1, func(w *Writer) error {
			q := p
			q.GUID = "0000000A-0000-4000-8000-00000000000A"
			return w.AddPrincipal(q)
		}, "not a canonical lower-case GUID", nil},
		{"braced GUID", 1, func(w *Writer) error { q := p; q.GUID = "{" + guid(9) + "}"; return w.AddPrincipal(q) }, "not a canonical", nil},
		{"principal type", 1, func(w *Writer) error { q := p; q.Type = "AnyUser"; return w.AddPrincipal(q) }, "type: want User, Group", nil},
		{"principal state", 1, func(w *Writer) error { q := p; q.State = 3; return w.AddPrincipal(q) }, "state: want 0", nil},
		{"principal empty uri", 1, func(w *Writer) error { q := p; q.URI = ""; return w.AddPrincipal(q) }, "uri is empty", nil},
		{"principal invalid UTF-8", 1, func(w *Writer) error { q := p; q.DisplayName = "bad \xff"; return w.AddPrincipal(q) }, "display_name: not valid UTF-8", ErrInvalidUTF8},
		{"duplicate principal", 1, func(w *Writer) error { return w.AddPrincipal(p) }, "appears twice", nil},
		{"category allowed and denied", 2, func(w *Writer) error {
			q := c
			q.DeniedMembers = []string{guid(1)}
			return w.AddCategory(q)
		}, "is in both allowed_members and denied_members", nil},
		{"category creator twice", 2, func(w *Writer) error {
			q := c
			q.GUID, q.Name, q.Creators = guid(150), "New", []string{guid(1), guid(1)}
			return w.AddCategory(q)
		}, "creators lists", nil},
		{"duplicate category name", 2, func(w *Writer) error { q := c; q.GUID = guid(150); return w.AddCategory(q) }, "has the name of an earlier category", nil},
		{"category added_by", 2, func(w *Writer) error {
			q := c
			q.GUID, q.Name, q.AddedBy = guid(150), "N", "x"
			return w.AddCategory(q)
		}, "added_by", nil},
		{"addin without name", 3, func(w *Writer) error { q := a; q.GUID, q.Name = guid(250), ""; return w.AddAddin(q) }, "name is empty", nil},
		{"room privacy", 6, func(w *Writer) error { q := room; q.GUID, q.Privacy = guid(350), "open"; return w.AddRoom(q) }, "privacy: want Open", nil},
		{"room type", 6, func(w *Writer) error { q := room; q.GUID, q.Type = guid(350), "Big"; return w.AddRoom(q) }, "type: want Normal or Auditorium", nil},
		{"room invitations", 6, func(w *Writer) error { q := room; q.GUID, q.Invitations = guid(350), ""; return w.AddRoom(q) }, "invitations", nil},
		{"room without category", 6, func(w *Writer) error { q := room; q.GUID, q.Category = guid(350), ""; return w.AddRoom(q) }, "category is empty", nil},
		{"duplicate room", 6, func(w *Writer) error { return w.AddRoom(room) }, "appears twice", nil},
		{"message of unknown room", 7, func(w *Writer) error { m := msg; m.Room = guid(399); return w.AddMessage(m) }, "not in rooms.jsonl", nil},
		{"message content invalid UTF-8", 7, func(w *Writer) error { m := msg; m.Content = "a\xc3"; return w.AddMessage(m) }, "content: not valid UTF-8", ErrInvalidUTF8},
		{"message rtf invalid UTF-8", 7, func(w *Writer) error { m := msg; m.RTF = ptr("\xed\xa0\x80"); return w.AddMessage(m) }, "rtf: not valid UTF-8", ErrInvalidUTF8},
		{"message user", 7, func(w *Writer) error { m := msg; m.User = ""; return w.AddMessage(m) }, "user", nil},
		{"chat ID not increasing", 7, func(w *Writer) error { m := msg; m.ChatID = 5; return w.AddMessage(m) }, "chat IDs must increase", nil},
		{"chat ID repeated", 7, func(w *Writer) error { m := msg; m.ChatID = 7; return w.AddMessage(m) }, "chat IDs must increase", nil},
		{"room not contiguous", 8, func(w *Writer) error { return w.AddMessage(msg) }, "not grouped by room", nil},
		{"principal after messages", 8, func(w *Writer) error { q := p; q.GUID = guid(9); return w.AddPrincipal(q) }, "principals must be added before messages", nil},
		{"room after messages", 8, func(w *Writer) error { q := room; q.GUID = guid(350); return w.AddRoom(q) }, "rooms must be added before messages", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.zip")
			w, err := Create(path, WriterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			for _, step := range setup[:tc.at] {
				must(t, step(w))
			}
			err = tc.add(w)
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			// The writer is still usable, and the record is not in the archive.
			for _, step := range setup[tc.at:] {
				must(t, step(w))
			}
			must(t, w.Commit(testManifest()))
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if err := r.Verify(context.Background()); err != nil {
				t.Fatalf("Verify() = %v", err)
			}
			want := Counts{Principals: 1, Categories: 1, Addins: 1, Rooms: 3, Messages: 3}
			if diff := cmp.Diff(want, r.Manifest().Counts); diff != "" {
				t.Errorf("counts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommitRejectsManifest(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(m *Manifest)
		wantErr string
	}{
		{"unknown level", func(m *Manifest) { m.Level = "Everything" }, `level "Everything"`},
		{"empty level", func(m *Manifest) { m.Level = "" }, `level ""`},
		{"password in connection string", func(m *Manifest) { m.SourceDatabase = "server=sql01;User ID=sa;Password = secret" }, "password"},
		{"pwd in connection string", func(m *Manifest) { m.SourceDatabase = "server=sql01;uid=sa;PWD=secret" }, "password"},
		{"password in URL", func(m *Manifest) { m.SourceDatabase = "sqlserver://sa:secret@sql01/pchat" }, "password"},
		{"empty scope entry", func(m *Manifest) { m.Scope = []string{""} }, "scope entry"},
		{"invalid UTF-8", func(m *Manifest) { m.SourcePool = "\xff" }, "source_pool: not valid UTF-8"},
		{"user without password", func(m *Manifest) { m.SourceDatabase = "sqlserver://sa@sql01/pchat?database=mgc" }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.zip")
			w, err := Create(path, WriterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			m := testManifest()
			tc.edit(&m)
			err = w.Commit(m)
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("Commit() error = %v, want %q", err, tc.wantErr)
			}
			var want []string
			if tc.wantErr == "" {
				want = []string{"out.zip"}
			}
			if diff := cmp.Diff(want, dirNames(t, dir)); diff != "" {
				t.Errorf("directory mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The writer refuses to commit an archive whose parts hold records its
// level does not cover, as the reader refuses to open one, and leaves no
// file.
func TestCommitRefusesRecordsTheLevelDoesNotCover(t *testing.T) {
	rec := testRecords()
	for _, tc := range []struct {
		level string
		upTo  int // 1: principals, 2: + categories, 3: + add-ins and rooms, 4: + messages
		want  string
	}{
		{LevelUser, 1, ""},
		{LevelUser, 2, "part categories.jsonl holds 2 records, but the archive's level User covers principals only"},
		{LevelCategory, 2, ""},
		{LevelCategory, 3, "part addins.jsonl holds 1 record, but the archive's level Category covers principals and categories only"},
		{LevelRoomDirectory, 3, ""},
		{LevelRoomDirectory, 4, "part messages/000001.jsonl holds 11 records, but the archive's level RoomDirectory covers principals, categories, add-ins and rooms, no messages"},
		{LevelContent, 4, ""},
	} {
		t.Run(fmt.Sprintf("%s %d", tc.level, tc.upTo), func(t *testing.T) {
			dir := t.TempDir()
			w, err := Create(filepath.Join(dir, "out.zip"), WriterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			var add []error
			for _, p := range rec.Principals {
				add = append(add, w.AddPrincipal(p))
			}
			if tc.upTo >= 2 {
				for _, c := range rec.Categories {
					add = append(add, w.AddCategory(c))
				}
			}
			if tc.upTo >= 3 {
				for _, a := range rec.Addins {
					add = append(add, w.AddAddin(a))
				}
				for _, r := range rec.Rooms {
					add = append(add, w.AddRoom(r))
				}
			}
			if tc.upTo >= 4 {
				for _, m := range rec.Messages {
					add = append(add, w.AddMessage(m))
				}
			}
			if err := errors.Join(add...); err != nil {
				t.Fatal(err)
			}
			m := testManifest()
			m.Level = tc.level
			err = w.Commit(m)
			if !errorContains(err, tc.want) {
				t.Fatalf("Commit() error = %v, want %q", err, tc.want)
			}
			var want []string
			if tc.want == "" {
				want = []string{"out.zip"}
			}
			if diff := cmp.Diff(want, dirNames(t, dir)); diff != "" {
				t.Errorf("directory mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriterClosed(t *testing.T) {
	tests := []struct {
		name string
		call func(w *Writer) error
	}{
		{"AddPrincipal", func(w *Writer) error { return w.AddPrincipal(testRecords().Principals[0]) }},
		{"AddMessage", func(w *Writer) error { return w.AddMessage(testRecords().Messages[0]) }},
		{"Commit", func(w *Writer) error { return w.Commit(testManifest()) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.zip")
			w, err := Create(path, WriterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			must(t, w.Commit(testManifest()))
			if err := tc.call(w); !errorContains(err, "archive writer is closed") {
				t.Errorf("%s after Commit: error = %v, want closed", tc.name, err)
			}
			if err := w.Abort(); err != nil {
				t.Errorf("Abort after Commit = %v", err)
			}
			r, err := Open(path)
			if err != nil {
				t.Fatalf("Open after Abort: %v", err)
			}
			r.Close()
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
