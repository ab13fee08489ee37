package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/pchat"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c > ?", "SELECT a FROM t WHERE b = @p1 AND c > @p2"},
		{"VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", "VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12)"},
		{"WHERE nodeName = ? -- ünïcødé 日本", "WHERE nodeName = @p1 -- ünïcødé 日本"},
	}
	for _, tt := range tests {
		if got := rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestInsertSQL(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (?,?,?,?,?,?,?)"},
		{2, "INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (?,?,?,?,?,?,?),(?,?,?,?,?,?,?)"},
	}
	for _, tt := range tests {
		if got := insertSQL(tt.n); got != tt.want {
			t.Errorf("insertSQL(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestDialectSQL(t *testing.T) {
	ms, lite := mssqlDialect{}, sqliteDialect{}
	tests := []struct{ name, got, want string }{
		{"mssql top", ms.top("prinID", "FROM tblPrincipal WHERE LOWER(prinUri) = ? ORDER BY prinID", 1),
			"SELECT TOP (1) prinID FROM tblPrincipal WHERE LOWER(prinUri) = ? ORDER BY prinID"},
		{"sqlite top", lite.top("prinID", "FROM tblPrincipal ORDER BY prinID", 5000), "SELECT prinID FROM tblPrincipal ORDER BY prinID LIMIT 5000"},
		{"mssql guid", ms.guid("nodeGuid"), "CONVERT(nvarchar(36), nodeGuid)"},
		{"sqlite guid", lite.guid("nodeGuid"), "nodeGuid"},
		{"mssql guid comparison", rebind(ms.guidIs("prinGuid")), "prinGuid = CONVERT(uniqueidentifier, @p1)"},
		{"sqlite guid comparison", lite.guidIs("prinGuid"), "LOWER(prinGuid) = ?"},
		{"mssql ident", ms.ident("index"), "[index]"},
		{"mssql ident with bracket", ms.ident("a]b"), "[a]]b]"},
		{"sqlite ident", lite.ident("index"), `"index"`},
		{"identity columns query", identitySQL(),
			"SELECT 'tblNode', COLUMNPROPERTY(OBJECT_ID('tblNode'), 'nodeID', 'IsIdentity')\n" +
				"UNION ALL SELECT 'tblPrincipal', COLUMNPROPERTY(OBJECT_ID('tblPrincipal'), 'prinID', 'IsIdentity')"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestMSSQLDateTime(t *testing.T) {
	d := mssqlDialect{}
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"zero time", time.Time{}, sqlDateTimeMin},
		{"before 1753", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), sqlDateTimeMin},
		{"in a time zone", time.Date(2021, 3, 4, 7, 6, 7, 0, time.FixedZone("CET", 2*3600)), time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)},
		{"after 9999", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), sqlDateTimeMax},
	}
	for _, tt := range tests {
		got, ok := d.datetime(tt.in).(mssql.DateTime1)
		if !ok {
			t.Fatalf("%s: datetime() = %T, want mssql.DateTime1 (a datetime parameter)", tt.name, d.datetime(tt.in))
		}
		if !time.Time(got).Equal(tt.want) || time.Time(got).Location() != time.UTC {
			t.Errorf("%s: datetime(%v) = %v, want %v", tt.name, tt.in, time.Time(got), tt.want)
		}
	}
	// The clamped zero time reads back as the zero time.
	if got, ok, err := parseDateTime(sqlDateTimeMin); err != nil || !ok || !got.IsZero() {
		t.Errorf("parseDateTime(1753-01-01) = %v, %v, %v; want the zero time", got, ok, err)
	}
}

func TestBulkOptions(t *testing.T) {
	want := mssql.BulkOptions{RowsPerBatch: 1234, Order: []string{"ChannelID", "chatId"}, KeepNulls: true, CheckConstraints: true, FireTriggers: true}
	if diff := cmp.Diff(want, bulkOptions(1234, []string{"ChannelID", "chatId"}, true)); diff != "" {
		t.Errorf("bulkOptions() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"channelId", "chatId", "chatDate", "userId", "isAlert", "content", "rtf"}, chatColumns); diff != "" {
		t.Errorf("chatColumns mismatch (-want +got):\n%s", diff)
	}
}

// summarize turns recorded calls into short lines, runs of equal lines
// counted: "exec insert(290 rows) 2030 args x3".
func summarize(calls []call) []string {
	var out []string
	last, n := "", 0
	flush := func() {
		if n > 0 {
			out = append(out, fmt.Sprintf("%s x%d", last, n))
		}
	}
	for _, c := range calls {
		what := c.Query
		switch {
		case strings.HasPrefix(c.Query, "INSERTBULK "):
			what = "bulk"
		}
		line := strings.TrimSpace(fmt.Sprintf("%s %s %d args", c.Op, what, len(c.Args)))
		if line != last {
			flush()
			last, n = line, 0
		}
		n++
	}
	flush()
	return out
}

// TestInsertMessagesPath checks that every message batch, one message or
// thousands, goes to tblChat by bulk copy with the catalogue's column
// names, and that the rows are counted back with a key seek, not taken from
// the server's (NOCOUNT-dependent) report.
func TestInsertMessagesPath(t *testing.T) {
	rtf := `{\rtf1 x}`
	msgs := func(n int) []pchat.Message {
		out := make([]pchat.Message, n)
		for i := range out {
			out[i] = pchat.Message{RoomID: 7, ChatID: int64(i + 1), Date: 637000000000000001, UserID: 3, Alert: i == 0, Content: "hi"}
			if i == 1 {
				out[i].RTF = &rtf
			}
		}
		return out
	}
	cols := []string{"ChannelID", "chatId", "chatDate", "userId", "isAlert", "content", "rtf"}
	for _, n := range []int{1, 999, 2500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db, rec := openRecorder(t, func(q string, args []driver.NamedValue) [][]driver.Value {
				if strings.HasPrefix(q, "SELECT COUNT_BIG(*) FROM tblChat") {
					return [][]driver.Value{{rangeRows(args)}}
				}
				return nil
			})
			rec.nocount = true
			d := mssqlDialect{}
			if err := d.insertMessages(context.Background(), d.wrap(db), cols, msgs(n)); err != nil {
				t.Fatal(err)
			}
			calls := rec.Calls()
			want := []string{"prepare bulk 0 args x1", fmt.Sprintf("exec bulk 7 args x%d", n), "exec bulk 0 args x1",
				"query " + rebind(countBackSQL(1)) + " 3 args x1", "close bulk 0 args x1"}
			if diff := cmp.Diff(want, summarize(calls)); diff != "" {
				t.Errorf("statements mismatch (-want +got):\n%s", diff)
			}
			if want := mssql.CopyIn("tblChat", bulkOptions(n, cols, true), cols...); calls[0].Query != want {
				t.Errorf("bulk statement = %s, want %s", calls[0].Query, want)
			}
			wantRows := [][]any{
				{int64(7), int64(1), int64(637000000000000001), int64(3), true, "hi", nil},
				{int64(7), int64(2), int64(637000000000000001), int64(3), false, "hi", rtf},
			}
			got := [][]any{calls[1].Args}
			if n > 1 {
				got = append(got, calls[2].Args)
			}
			if diff := cmp.Diff(wantRows[:len(got)], got); diff != "" {
				t.Errorf("bulk rows mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// A server that holds fewer rows than were sent is an error.
	db, _ := openRecorder(t, func(q string, _ []driver.NamedValue) [][]driver.Value {
		if strings.HasPrefix(q, "SELECT COUNT_BIG(*)") {
			return [][]driver.Value{{int64(3)}}
		}
		return nil
	})
	d := mssqlDialect{}
	if err := d.insertMessages(context.Background(), d.wrap(db), cols, msgs(4)); err == nil || !strings.Contains(err.Error(), "holds 3 of the 4 rows") {
		t.Errorf("insertMessages with rows missing = %v, want an error saying 3 of 4", err)
	}
}

// TestMSSQLQuerierRebinds checks that every path to go-mssqldb gets @pN
// placeholders, except the bulk-copy pseudo statement, which is JSON.
func TestMSSQLQuerierRebinds(t *testing.T) {
	ctx := context.Background()
	db, rec := openRecorder(t, nil)
	q := mssqlDialect{}.wrap(db)
	bulk := mssql.CopyIn("tblChat", bulkOptions(2, chatColumns, true), chatColumns...)
	if _, err := q.ExecContext(ctx, "UPDATE t SET a = ? WHERE b = ?", 1, 2); err != nil {
		t.Fatal(err)
	}
	rows, err := q.QueryContext(ctx, "SELECT a FROM t WHERE b = ?", 1)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	_ = q.QueryRowContext(ctx, "SELECT a FROM t WHERE c = ?", 1).Scan(new(int))
	for _, query := range []string{"INSERT INTO t VALUES (?, ?)", bulk} {
		stmt, err := q.PrepareContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		stmt.Close()
	}
	var got []string
	for _, c := range rec.Calls() {
		if c.Op != "close" {
			got = append(got, c.Op+" "+c.Query)
		}
	}
	want := []string{
		"exec UPDATE t SET a = @p1 WHERE b = @p2",
		"query SELECT a FROM t WHERE b = @p1",
		"query SELECT a FROM t WHERE c = @p1",
		"prepare INSERT INTO t VALUES (@p1, @p2)",
		"prepare " + bulk,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements sent mismatch (-want +got):\n%s", diff)
	}
}

// TestChatSelectListReadsUTF8RTFAsNVarChar: the rtf of a _UTF8 collation is
// read through the server's own conversion to nvarchar (go-mssqldb would
// decode its bytes as Windows-1252); every other varchar rtf column, and
// the embedded store, read the column as it is. The nvarchar content is
// read as its UTF-16LE bytes (decoded by the store, which then knows a
// surrogate without its pair).
func TestChatSelectListReadsUTF8RTFAsNVarChar(t *testing.T) {
	const plain = "channelId, chatId, chatDate, userId, isAlert, content, rtf"
	const raw = "channelId, chatId, chatDate, userId, isAlert, CONVERT(varbinary(max), content) AS content, rtf"
	utf8, _ := fakeChatPool(t, fakeCollation{name: "Latin1_General_100_CI_AS_SC_UTF8", codePage: 65001, style: 196609})
	if got, want := chatSelectList(utf8.histDialect, utf8.cat), "channelId, chatId, chatDate, userId, isAlert, CONVERT(varbinary(max), content) AS content, CONVERT(nvarchar(max), rtf) AS rtf"; got != want {
		t.Errorf("UTF-8 rtf: %q, want %q", got, want)
	}
	latin1, _ := fakeChatPool(t, latin1CI)
	japanese, _ := fakeChatPool(t, fakeCollation{name: "Japanese_CI_AS", codePage: 932, style: 196609})
	for name, tc := range map[string]struct {
		s    *Store
		want string
	}{"Latin1 rtf": {latin1, raw}, "Japanese rtf": {japanese, raw}, "no catalogue": {&Store{histDialect: mssqlDialect{}}, plain},
		"embedded": {&Store{histDialect: sqliteDialect{}, cat: utf8.cat}, plain}} {
		if got := chatSelectList(tc.s.histDialect, tc.s.cat); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}

// TestBulkCopyKeepsNullsOnlyForDefaults: the bulk copy into tblChat asks for
// KEEP_NULLS only when a column it writes has a DEFAULT (which would
// replace a NULL rtf); otherwise it leaves it out, so that columns pcmig
// does not write (a real tblChat may have NOT NULL ones with a default)
// take their defaults as for an INSERT.
func TestBulkCopyKeepsNullsOnlyForDefaults(t *testing.T) {
	for _, rtfDefault := range []bool{false, true} {
		s, rec := fakeChatPool(t, latin1CI)
		for i, c := range s.cat.tables["tblChat"].cols {
			if c.Name == "rtf" {
				s.cat.tables["tblChat"].cols[i].Default = rtfDefault
			}
		}
		if _, err := s.AppendMessages(context.Background(), 42, rtfMessages(3, `{\rtf1 x}`)); err != nil {
			t.Fatal(err)
		}
		bulks := 0
		for _, c := range rec.Calls() {
			if c.Op == "prepare" && strings.HasPrefix(c.Query, "INSERTBULK ") && strings.Contains(c.Query, "tblChat") {
				bulks++
				if want := mssql.CopyIn("tblChat", bulkOptions(3, s.chatCols, rtfDefault), s.chatCols...); c.Query != want {
					t.Errorf("rtf with a default %v: bulk copy %s, want %s", rtfDefault, c.Query, want)
				}
			}
		}
		if bulks != 1 {
			t.Errorf("rtf with a default %v: %d bulk copies into tblChat, want 1", rtfDefault, bulks)
		}
	}
}

// TestStreamMessagesReadsUTF8RTFAsNVarChar: a message stream from a
// database whose tblChat.rtf has a _UTF8 collation asks the server for rtf
// as nvarchar (chatSelectList); go-mssqldb would decode its UTF-8 bytes as
// Windows-1252.
func TestStreamMessagesReadsUTF8RTFAsNVarChar(t *testing.T) {
	for _, tt := range []struct {
		coll fakeCollation
		want bool
	}{
		{fakeCollation{name: "Latin1_General_100_CI_AS_SC_UTF8", codePage: 65001, style: 196609}, true},
		{latin1CI, false},
	} {
		s, rec := fakeChatPool(t, tt.coll)
		if err := s.StreamMessages(context.Background(), MessageFilter{Rooms: []int32{42}}, func(pchat.Message) error { return nil }); err != nil {
			t.Fatal(err)
		}
		reads := 0
		for _, c := range rec.Calls() {
			if !strings.Contains(c.Query, "FROM tblChat WHERE channelId") {
				continue
			}
			reads++
			if got := strings.Contains(c.Query, "CONVERT(nvarchar(max), rtf)"); got != tt.want {
				t.Errorf("%s: %s %q: converts rtf %v, want %v", tt.coll.name, c.Op, c.Query, got, tt.want)
			}
		}
		if reads == 0 {
			t.Errorf("%s: no tblChat read sent", tt.coll.name)
		}
	}
}
