package archive

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// guid makes a canonical GUID from a number.
func guid(n int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n) }

func ptr[T any](v T) *T { return &v }

// contents is everything an archive holds.
type contents struct {
	Principals []Principal
	Categories []Category
	Addins     []Addin
	Rooms      []Room
	Messages   []Message
}

// bigTicks exceeds 2^53, so float64 would lose it.
const bigTicks int64 = 638_512_345_678_901_237

// tricky strings that must survive exactly.
var trickyStrings = []string{
	"plain text",
	"",
	`quotes " and backslashes \ and slash / and \u0041 literally`,
	"controls \x00 NUL \x01 \x1f \x7f tab\t newline\n return\r",
	"separators \u2028 and \u2029 and NEL \u0085",
	"emoji 😀 family 👩‍👩‍👧 flags 🇫🇷 CJK 日本語 Ünïcödé",
	"<b>&amp;</b> html",
	"ma-filelink:https://files.contoso.com/a b.docx",
	"\uFEFF BOM and U+FFFD \uFFFD",
}

// testRecords returns records with every field and tricky values.
func testRecords() contents {
	verified := time.Date(2024, 5, 1, 12, 30, 45, 123456700, time.UTC)
	rec := contents{
		Principals: []Principal{
			{GUID: guid(1), URI: "sip:alice@contoso.com", Type: PrincipalUser, Name: "Alice", DisplayName: "Alice \"Al\" Ünïcödé 😀",
				CompanyName: "Contoso", Email: "alice@contoso.com", ADPath: `CN=Alice\, A,OU=Users,DC=contoso,DC=com`,
				UPN: "alice@contoso.com", State: pchat.Active, PoolID: ptr(int32(7)), PolicyID: ptr(int32(-2)),
				AddedOn: bigTicks, UpdatedOn: bigTicks + 1, VerifiedOn: verified},
			{GUID: guid(2), URI: "ma-grp:Group-2", Type: PrincipalGroup, State: pchat.Deleted, AddedOn: 0, UpdatedOn: -1,
				VerifiedOn: time.Time{}},
			{GUID: guid(3), URI: "sip:system", Type: PrincipalSystemUser, State: pchat.Disabled, AddedOn: 1<<63 - 1,
				UpdatedOn: -1 << 63, VerifiedOn: verified.Add(time.Hour)},
			{GUID: guid(4), URI: "ma-grp:dc", Type: PrincipalDC, VerifiedOn: verified},
			{GUID: guid(5), URI: "ma-grp:ou", Type: PrincipalFolder, VerifiedOn: verified},
		},
		Categories: []Category{
			{GUID: guid(100), Name: "Sales \"EMEA\"", Description: "back\\slash\nnew line", Invitations: true, FileUpload: true,
				AllowedMembers: []string{guid(1), guid(2)}, DeniedMembers: []string{guid(4)}, Creators: []string{guid(1)},
				AddedBy: guid(3), AddedOn: bigTicks, UpdatedBy: guid(1), UpdatedOn: bigTicks + 99},
			{GUID: guid(101), Name: "Empty", ChatHistory: true},
		},
		Addins: []Addin{
			{GUID: guid(200), Name: "Wiki", URL: "https://wiki.contoso.com/?a=1&b=<2>"},
		},
		Rooms: []Room{
			{GUID: guid(300), Name: "Room A 😀", Description: trickyStrings[3], Category: "Sales \"EMEA\"",
				Privacy: pchat.Secret, Type: pchat.Auditorium, Invitations: pchat.InvitationsFalse, Addin: "Wiki",
				Members: []string{guid(1), guid(2)}, Managers: []string{guid(1)}, Presenters: []string{guid(1)},
				AddedBy: guid(1), AddedOn: bigTicks, UpdatedBy: guid(3), UpdatedOn: bigTicks},
			{GUID: guid(301), Name: "Room B", Category: "Empty", Privacy: pchat.Open, Type: pchat.Normal,
				Invitations: pchat.Inherit, Disabled: true},
			{GUID: guid(302), Name: "Room C", Category: "Empty", Privacy: pchat.Closed, Type: pchat.Normal,
				Invitations: pchat.InvitationsTrue},
		},
	}
	chat := int64(1 << 60)
	for i, s := range trickyStrings {
		m := Message{Room: guid(300), ChatID: chat + int64(i), Date: bigTicks + int64(i), User: guid(1 + i%2),
			Alert: i%3 == 0, Content: s}
		switch i % 3 {
		case 1:
			m.RTF = ptr(`{\rtf1\ansi ` + s + `\par}`)
		case 2:
			m.RTF = ptr("")
		}
		rec.Messages = append(rec.Messages, m)
	}
	rec.Messages = append(rec.Messages,
		Message{Room: guid(302), ChatID: 1, Date: 1, User: guid(3), Content: "first"},
		Message{Room: guid(302), ChatID: 1<<63 - 1, Date: 1<<63 - 1, User: guid(3), Content: "last", RTF: ptr("x")})
	return rec
}

// withCounts returns rooms with Messages set from msgs, as the reader
// returns them.
func withCounts(rooms []Room, msgs []Message) []Room {
	n := map[string]int64{}
	for _, m := range msgs {
		n[m.Room]++
	}
	out := append([]Room(nil), rooms...)
	for i := range out {
		out[i].Messages = n[out[i].GUID]
	}
	return out
}

var testCreated = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func testManifest() Manifest {
	return Manifest{ToolVersion: "1.2.3", SourcePool: "pchat01.contoso.com",
		SourceDatabase: `sql01.contoso.com\pchat/mgc`, Level: LevelAll, Created: testCreated}
}

// writeRecords writes rec to a new archive at path.
func writeRecords(t testing.TB, path string, opts WriterOptions, rec contents) {
	t.Helper()
	if err := writeTuned(t, path, opts, rec, func(*Writer) {}); err != nil {
		t.Fatal(err)
	}
}

// writeTuned is writeRecords with tune called on the new writer; it
// returns Commit's error.
func writeTuned(t testing.TB, path string, opts WriterOptions, rec contents, tune func(*Writer)) error {
	t.Helper()
	w, err := Create(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	tune(w)
	for _, p := range rec.Principals {
		if err := w.AddPrincipal(p); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range rec.Categories {
		if err := w.AddCategory(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range rec.Addins {
		if err := w.AddAddin(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rec.Rooms {
		if err := w.AddRoom(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range rec.Messages {
		if err := w.AddMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	return w.Commit(testManifest())
}

// writeTest writes the test records to a new archive and returns its path.
func writeTest(t testing.TB, opts WriterOptions) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.zip")
	writeRecords(t, path, opts, testRecords())
	return path
}

// readRecords reads everything through the accessors.
func readRecords(r *Reader) (contents, error) {
	var rec contents
	err := r.Principals(func(p Principal) error { rec.Principals = append(rec.Principals, p); return nil })
	if err == nil {
		err = r.Categories(func(c Category) error { rec.Categories = append(rec.Categories, c); return nil })
	}
	if err == nil {
		err = r.Addins(func(a Addin) error { rec.Addins = append(rec.Addins, a); return nil })
	}
	if err == nil {
		err = r.Rooms(func(room Room) error { rec.Rooms = append(rec.Rooms, room); return nil })
	}
	if err == nil {
		err = r.Messages(func(m Message) error { rec.Messages = append(rec.Messages, m); return nil })
	}
	return rec, err
}

// entry is one zip entry of a crafted archive.
type entry struct {
	name string
	data []byte
}

// readEntries returns the entries of the zip at path, in order.
func readEntries(t testing.TB, path string) []entry {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var es []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, entry{f.Name, data})
	}
	return es
}

// zipBytes builds a zip from entries, deflated.
func zipBytes(t testing.TB, es []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if len(e.data) == 0 {
			continue // directories take no data
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes data to a new file in a temporary directory.
func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crafted.zip")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// manifestOf decodes the manifest entry of es.
func manifestOf(t testing.TB, es []entry) (Manifest, int) {
	t.Helper()
	for i, e := range es {
		if e.name == ManifestName {
			var m Manifest
			if err := json.Unmarshal(e.data, &m); err != nil {
				t.Fatal(err)
			}
			return m, i
		}
	}
	t.Fatal("no manifest")
	return Manifest{}, 0
}

// setManifest replaces the manifest entry of es.
func setManifest(t testing.TB, es []entry, m Manifest) {
	t.Helper()
	_, i := manifestOf(t, es)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	es[i].data = data
}

// replacePart replaces a part's data and updates the manifest to match, so
// that only the records themselves are wrong.
func replacePart(t testing.TB, es []entry, name string, data []byte) {
	t.Helper()
	m, _ := manifestOf(t, es)
	for i := range es {
		if es[i].name == name {
			es[i].data = data
		}
	}
	m.Counts = Counts{}
	for i := range m.Parts {
		p := &m.Parts[i]
		if p.Name == name {
			sum := sha256.Sum256(data)
			p.SHA256, p.Bytes, p.Records = hex.EncodeToString(sum[:]), int64(len(data)), int64(bytes.Count(data, []byte("\n")))
		}
		m.Counts.add(p.Kind, p.Records)
	}
	setManifest(t, es, m)
}

// partData returns the data of the named entry.
func partData(t testing.TB, es []entry, name string) []byte {
	t.Helper()
	for _, e := range es {
		if e.name == name {
			return append([]byte(nil), e.data...)
		}
	}
	t.Fatalf("no entry %s", name)
	return nil
}
