package store

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

func TestUTF16Len(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "日本": 2, "🎉": 2, "a🎉b": 4} {
		if got := UTF16Len(s); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestColumnCheckText(t *testing.T) {
	cp1252 := Column{Table: "tblChat", Name: "rtf", Type: "varchar", Length: -1, Collation: ParseCollation("SQL_Latin1_General_CP1_CI_AS")}
	utf8col := Column{Table: "tblChat", Name: "rtf", Type: "varchar", Length: -1, Collation: ParseCollation("Latin1_General_100_CI_AS_SC_UTF8")}
	name := Column{Table: "tblNode", Name: "nodeName", Type: "nvarchar", Length: 4}
	short := Column{Table: "tblX", Name: "c", Type: "varchar", Length: 3, Collation: Collation{CodePage: 1252}}
	sjis := Column{Table: "tblX", Name: "c", Type: "varchar", Length: -1, Collation: Collation{CodePage: 932}}
	unknown := Column{Table: "tblX", Name: "c", Type: "varchar", Length: -1, Collation: Collation{CodePage: 1361}}
	tests := []struct {
		col     Column
		v       string
		wantErr string // "" for none
		wire    []byte // the bulk-copy bytes, nil for a string
	}{
		{cp1252, `{\rtf1 café €}`, "", []byte("{\\rtf1 caf\xe9 \x80}")},
		{cp1252, "日本", `code page 1252 has no '日' (U+65E5)`, nil},
		{cp1252, "plain", "", []byte("plain")},
		{utf8col, "日本 é", "", nil},
		{name, "ab🎉", "", nil},
		{name, "🎉🎉🎉", "at most 4 characters (UTF-16 code units: an emoji counts 2), and this text has 6", nil},
		{short, "éé", "", []byte("\xe9\xe9")},
		{short, "éééé", "at most 3 bytes in its code page, and this text takes 4", nil},
		{sjis, "日本", "", []byte("\x93\xfa\x96\x7b")},
		{sjis, "€", "code page 932 has no", nil},
		{unknown, "abc", "", nil},
		{unknown, "é", "pcmig cannot encode code page 1361", nil},
		{name, "a\xffb", "not valid UTF-8", nil},
	}
	for _, tt := range tests {
		w, err := tt.col.wireValue(tt.v)
		if tt.wantErr != "" {
			if !errors.Is(err, ErrText) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s %q: err = %v, want ErrText saying %q", tt.col.Declared(), tt.v, err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.col.Table+"."+tt.col.Name) {
				t.Errorf("error %q does not name the column", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", tt.col.Declared(), tt.v, err)
			continue
		}
		switch got := w.(type) {
		case string:
			if tt.wire != nil || got != tt.v {
				t.Errorf("%s %q: wire value %q, want bytes %q", tt.col.Declared(), tt.v, got, tt.wire)
			}
		case []byte:
			if !bytes.Equal(got, tt.wire) {
				t.Errorf("%s %q: wire bytes %q, want %q", tt.col.Declared(), tt.v, got, tt.wire)
			}
		}
	}
}

// fakeChatPool is a SQL Server pool on the recording driver whose tblChat
// rtf column has the given collation.
func fakeChatPool(t *testing.T, rtf fakeCollation) (*Store, *recorder) {
	t.Helper()
	cat := fakeCatalog{text: map[string]fakeCollation{"tblChat.rtf": rtf}}
	pool := fakePool(nil)
	db, rec := openRecorder(t, func(q string, args []driver.NamedValue) [][]driver.Value {
		if rows, ok := cat.answer(q, args); ok {
			return rows
		}
		if rows := pool(q, args); rows != nil {
			return rows
		}
		if strings.HasPrefix(q, "SELECT MAX(") {
			return [][]driver.Value{{nil}}
		}
		return nil
	})
	s := newStore(Config{Instance: "fake", Now: time.Now, HeartbeatWindow: time.Minute, Force: true}, db, mssqlDialect{})
	if err := s.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, rec
}

func rtfMessages(n int, rtf string) []pchat.Message {
	out := make([]pchat.Message, n)
	for i := range out {
		r := rtf
		out[i] = pchat.Message{Date: 637000000000000001, UserID: 3, Content: "café € 日本", RTF: &r}
	}
	return out
}

// TestBulkCopyEncodesVarchar: bulk copy into a varchar rtf column sends
// the code page's bytes (go-mssqldb would send a string's UTF-8 bytes,
// which the server stores as they are: é as Ã©). Unicode content goes as a
// string, which go-mssqldb sends as UTF-16.
func TestBulkCopyEncodesVarchar(t *testing.T) {
	s, rec := fakeChatPool(t, latin1CI)
	if _, err := s.AppendMessages(context.Background(), 42, rtfMessages(1000, `{\rtf1 café €}`)); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, c := range rec.Calls() {
		if c.Op != "exec" || !strings.HasPrefix(c.Query, "INSERTBULK ") || len(c.Args) == 0 {
			continue
		}
		rows++
		if got, ok := c.Args[6].([]byte); !ok || !bytes.Equal(got, []byte("{\\rtf1 caf\xe9 \x80}")) {
			t.Fatalf("bulk rtf value = %#v, want the Windows-1252 bytes", c.Args[6])
		}
		if got, ok := c.Args[5].(string); !ok || got != "café € 日本" {
			t.Fatalf("bulk content value = %#v, want the string", c.Args[5])
		}
	}
	if rows != 1000 {
		t.Errorf("bulk copy sent %d rows, want 1000", rows)
	}
}

// TestVarcharRefusesWhatCannotRoundTrip: text the rtf column's code page
// lacks is refused before anything is sent, naming the room and message,
// on both paths (INSERT would store '?', bulk copy mojibake).
func TestVarcharRefusesWhatCannotRoundTrip(t *testing.T) {
	for _, n := range []int{10, 1234} {
		s, rec := fakeChatPool(t, latin1CI)
		msgs := rtfMessages(n, `{\rtf1 ok}`)
		bad := `{\rtf1 日本}`
		msgs[n-1].RTF = &bad
		_, err := s.AppendMessages(context.Background(), 42, msgs)
		if !errors.Is(err, ErrText) {
			t.Fatalf("%d messages: err = %v, want ErrText", n, err)
		}
		for _, want := range []string{"room 42", "message " + strconv.Itoa(n) + " of the batch", "tblChat.rtf", "U+65E5"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%d messages: error %q does not say %q", n, err, want)
			}
		}
		for _, c := range rec.Calls() {
			if strings.Contains(c.Query, "tblChat") && (c.Op == "exec" || c.Op == "prepare") {
				t.Errorf("%d messages: %s %.60s sent despite the refusal", n, c.Op, c.Query)
			}
		}
	}
	// A UTF-8 collation holds it.
	s, _ := fakeChatPool(t, fakeCollation{name: "Latin1_General_100_CI_AS_SC_UTF8", codePage: 65001, style: 196609})
	if _, err := s.AppendMessages(context.Background(), 42, rtfMessages(10, `{\rtf1 日本}`)); err != nil {
		t.Errorf("UTF-8 rtf column: %v", err)
	}
}

// TestNameLengthsInUTF16 holds names to nvarchar(n) in UTF-16 code units
// on the embedded store too: 200 emoji are 200 characters but 400 code
// units, which tblNode.nodeName (nvarchar(256)) cannot hold.
func TestNameLengthsInUTF16(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DSN: "sqlite:" + filepath.Join(t.TempDir(), "pool.db"), Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	emoji := strings.Repeat("🎉", 200)
	if _, err := s.CreateCategory(ctx, pchat.Category{Name: emoji}); !errors.Is(err, ErrText) || !strings.Contains(err.Error(), "tblNode.nodeName is nvarchar(256)") {
		t.Errorf("CreateCategory(200 emoji) = %v, want ErrText naming tblNode.nodeName", err)
	}
	if _, err := s.CreateCategory(ctx, pchat.Category{Name: strings.Repeat("🎉", 128)}); err != nil {
		t.Errorf("CreateCategory(128 emoji, 256 code units) = %v", err)
	}
	p := pchat.Principal{URI: "sip:long@contoso.com", Type: pchat.TypeUser, DisplayName: strings.Repeat("😀", 129)}
	if _, _, err := s.EnsurePrincipal(ctx, p); !errors.Is(err, ErrText) || !strings.Contains(err.Error(), "tblPrincipal.prinDisplayName") {
		t.Errorf("EnsurePrincipal(258-unit display name) = %v, want ErrText naming prinDisplayName", err)
	}
	if ps, err := s.Principals(ctx); err != nil || len(ps) != 1 {
		t.Errorf("after refusals: %d principals, %v; want only the system user", len(ps), err)
	}
	if err := s.CheckText("tblSiopWhiteList", "siopName", strings.Repeat("x", 51)); !errors.Is(err, ErrText) {
		t.Errorf("CheckText(51-character add-in name) = %v, want ErrText", err)
	}
}

// TestCheckSample checks an archive's worth of text in one pass: each
// character the code page lacks is reported once, at the first value
// holding it, and a value too long for a declared length is reported.
func TestCheckSample(t *testing.T) {
	s, _ := fakeChatPool(t, latin1CI)
	var rtf TextSample[int]
	for i, v := range []string{`{\rtf1 café}`, `{\rtf1 日本}`, `{\rtf1 €}`, `{\rtf1 日本 again}`, `{\rtf1 ok}`} {
		rtf.Add(v, i+1)
	}
	var got []string
	for _, p := range CheckSample(s, "tblChat", "rtf", &rtf) {
		if !errors.Is(p.Err, ErrText) {
			t.Errorf("problem %v does not wrap ErrText", p.Err)
		}
		got = append(got, strconv.Itoa(p.Ref)+": "+p.Err.Error()[strings.Index(p.Err.Error(), "code page"):])
	}
	want := []string{
		"2: code page 1252 has no '日' (U+65E5), so the text would not read back the same",
		"2: code page 1252 has no '本' (U+672C), so the text would not read back the same",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CheckSample() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var names TextSample[int]
	names.Add("short", 1)
	names.Add(strings.Repeat("🎉", 129), 2)
	if p := CheckSample(s, "tblNode", "nodeName", &names); len(p) != 1 || p[0].Ref != 2 {
		t.Errorf("CheckSample(names) = %v, want one problem at value 2", p)
	}
}

// TestCheckedRunsAreCheckedOnce: CheckRoomMessages refuses what
// AppendRoomMessages refuses, with the same words; a run it accepted is
// written without a second check by that Store only, and a run built by
// hand (or checked by another Store) is still checked on the write path.
func TestCheckedRunsAreCheckedOnce(t *testing.T) {
	ctx := context.Background()
	s, rec := fakeChatPool(t, latin1CI)
	bad := `{\rtf1 日本}`
	msgs := rtfMessages(10, `{\rtf1 ok}`)
	msgs[9].RTF = &bad
	if _, err := s.CheckRoomMessages(RoomMessages{Room: 42, Msgs: msgs}); !errors.Is(err, ErrText) ||
		!strings.Contains(err.Error(), "message 10 of the batch") {
		t.Fatalf("CheckRoomMessages of a bad run: %v, want ErrText naming message 10", err)
	}
	// Unchecked and other-Store-checked runs are refused by the write path.
	other, _ := fakeChatPool(t, fakeCollation{name: "Latin1_General_100_CI_AS_SC_UTF8", codePage: 65001, style: 196609})
	fromOther, err := other.CheckRoomMessages(RoomMessages{Room: 42, Msgs: msgs})
	if err != nil {
		t.Fatalf("UTF-8 store refused %v", err)
	}
	for _, run := range []RoomMessages{{Room: 42, Msgs: msgs}, fromOther} {
		if _, err := s.AppendRoomMessages(ctx, []RoomMessages{run}); !errors.Is(err, ErrText) {
			t.Errorf("AppendRoomMessages of an unchecked run: %v, want ErrText", err)
		}
	}
	for _, c := range rec.Calls() {
		if strings.Contains(c.Query, "tblChat") && (c.Op == "exec" || c.Op == "prepare") {
			t.Fatalf("%s %.60s sent despite the refusal", c.Op, c.Query)
		}
	}
	good, err := s.CheckRoomMessages(RoomMessages{Room: 42, Msgs: rtfMessages(10, `{\rtf1 ok}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendRoomMessages(ctx, []RoomMessages{good}); err != nil {
		t.Errorf("AppendRoomMessages of a checked run: %v", err)
	}
}
