package store

import (
	"context"
	"fmt"
	"slices"
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
	// The largest SQL Server batch stays within 2,100 parameters.
	got := rebind(insertSQL(mssqlInsertRows))
	if n := strings.Count(got, "@p"); n != mssqlInsertRows*7 || n > 2100 {
		t.Errorf("insertSQL(%d) has %d parameters, want %d (at most 2100)", mssqlInsertRows, n, mssqlInsertRows*7)
	}
	if !strings.HasSuffix(got, ",@p2030)") {
		t.Errorf("rebind(insertSQL(%d)) ends %q, want @p2030 last", mssqlInsertRows, got[len(got)-20:])
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
		{"mssql explicit ID", ms.explicitID("tblNode", "INSERT INTO tblNode (nodeID) VALUES (?)"),
			"SET IDENTITY_INSERT [tblNode] ON;\nINSERT INTO tblNode (nodeID) VALUES (?);\nSET IDENTITY_INSERT [tblNode] OFF;"},
		{"sqlite explicit ID", lite.explicitID("tblNode", "INSERT INTO tblNode (nodeID) VALUES (?)"), "INSERT INTO tblNode (nodeID) VALUES (?)"},
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

func TestMessageBatches(t *testing.T) {
	for _, n := range []int{0, 1, 289, 290, 291, 999, 2500} {
		msgs := make([]pchat.Message, n)
		for i := range msgs {
			msgs[i].ChatID = int64(i + 1)
		}
		batches := messageBatches(msgs, mssqlInsertRows)
		var sizes []int
		var joined []pchat.Message
		for _, b := range batches {
			sizes = append(sizes, len(b))
			if len(b)*7 > 2100 {
				t.Errorf("messageBatches(%d): a batch of %d rows has %d parameters, over 2100", n, len(b), len(b)*7)
			}
			joined = append(joined, b...)
		}
		var want []int
		for left := n; left > 0; left -= mssqlInsertRows {
			want = append(want, min(left, mssqlInsertRows))
		}
		if diff := cmp.Diff(want, sizes); diff != "" {
			t.Errorf("messageBatches(%d) sizes mismatch (-want +got):\n%s", n, diff)
		}
		if diff := cmp.Diff(msgs, joined, cmp.Comparer(func(a, b []pchat.Message) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) })); diff != "" {
			t.Errorf("messageBatches(%d) lost or reordered messages (-want +got):\n%s", n, diff)
		}
	}
}

func TestBulkOptions(t *testing.T) {
	want := mssql.BulkOptions{RowsPerBatch: 1234, Order: []string{"channelId", "chatId"}, KeepNulls: true, CheckConstraints: true}
	if diff := cmp.Diff(want, bulkOptions(1234)); diff != "" {
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
		case strings.HasPrefix(c.Query, "INSERT INTO tblChat"):
			what = fmt.Sprintf("insert(%d rows)", strings.Count(c.Query, "(@p"))
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
	tests := []struct {
		name    string
		bulkMin int
		n       int
		want    []string
	}{
		{"one message", 1000, 1, []string{"exec insert(1 rows) 7 args x1"}},
		{"below bulkMin", 1000, 999, []string{"exec insert(290 rows) 2030 args x3", "exec insert(129 rows) 903 args x1"}},
		{"at bulkMin", 1000, 1000, []string{"prepare bulk 0 args x1", "exec bulk 7 args x1000", "exec bulk 0 args x1", "close bulk 0 args x1"}},
		{"above bulkMin", 1000, 2500, []string{"prepare bulk 0 args x1", "exec bulk 7 args x2500", "exec bulk 0 args x1", "close bulk 0 args x1"}},
		{"no bulkMin set", 0, 300, []string{"exec insert(290 rows) 2030 args x1", "exec insert(10 rows) 70 args x1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, rec := openRecorder(t, nil)
			d := mssqlDialect{bulkMin: tt.bulkMin}
			if err := d.insertMessages(context.Background(), d.wrap(db), msgs(tt.n)); err != nil {
				t.Fatal(err)
			}
			calls := rec.Calls()
			if diff := cmp.Diff(tt.want, summarize(calls)); diff != "" {
				t.Errorf("statements mismatch (-want +got):\n%s", diff)
			}
			first := calls[0]
			wantRows := [][]any{
				{int64(7), int64(1), int64(637000000000000001), int64(3), true, "hi", nil},
				{int64(7), int64(2), int64(637000000000000001), int64(3), false, "hi", rtf},
			}
			if first.Op == "prepare" {
				if want := mssql.CopyIn("tblChat", bulkOptions(tt.n), chatColumns...); first.Query != want {
					t.Errorf("bulk statement = %s, want %s", first.Query, want)
				}
				if diff := cmp.Diff(wantRows, [][]any{calls[1].Args, calls[2].Args}); diff != "" {
					t.Errorf("bulk rows mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if want := rebind(insertSQL(min(tt.n, mssqlInsertRows))); first.Query != want {
				t.Errorf("first INSERT = %.80s..., want %.80s...", first.Query, want)
			}
			if tt.n >= 2 {
				if diff := cmp.Diff(slices.Concat(wantRows...), first.Args[:14]); diff != "" {
					t.Errorf("INSERT arguments mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestMSSQLQuerierRebinds checks that every path to go-mssqldb gets @pN
// placeholders, except the bulk-copy pseudo statement, which is JSON.
func TestMSSQLQuerierRebinds(t *testing.T) {
	ctx := context.Background()
	db, rec := openRecorder(t, nil)
	q := mssqlDialect{}.wrap(db)
	bulk := mssql.CopyIn("tblChat", bulkOptions(2), chatColumns...)
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
