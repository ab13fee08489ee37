package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
	_ "github.com/microsoft/go-mssqldb/integratedauth/krb5" // Windows integrated auth (Kerberos) from Linux
	"github.com/pcmig/pcmig/pchat"
)

// This file is the only one that imports go-mssqldb.

type mssqlDialect struct {
	// cat is the store's catalogue, set when the store opens: bulk copy
	// encodes varchar values for their code page (textcheck.go).
	cat *catalog
}

func (mssqlDialect) name() string           { return "sqlserver" }
func (mssqlDialect) wrap(q querier) querier { return mssqlQuerier{q: q, last: new(string)} }
func (mssqlDialect) guid(col string) string { return "CONVERT(nvarchar(36), " + col + ")" }
func (mssqlDialect) guidIs(col string) string {
	return col + " = CONVERT(uniqueidentifier, ?)"
}

// ident uses brackets, which do not depend on the session's
// QUOTED_IDENTIFIER setting (go-mssqldb logs in with the ODBC flag, which
// turns it on, but a bracket is right whatever the session says).
func (mssqlDialect) ident(name string) string {
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
}

// sqlDateTimeMin and sqlDateTimeMax bound SQL Server's datetime type.
var (
	sqlDateTimeMin = time.Date(1753, 1, 1, 0, 0, 0, 0, time.UTC)
	sqlDateTimeMax = time.Date(9999, 12, 31, 23, 59, 59, 997_000_000, time.UTC)
)

// datetime sends a datetime parameter as datetime (mssql.DateTime1), not
// the datetimeoffset go-mssqldb uses for a time.Time. Times outside the
// type's range are clamped: the zero time becomes 1753-01-01, which
// parseDateTime reads back as the zero time.
func (mssqlDialect) datetime(t time.Time) any {
	t = t.UTC()
	switch {
	case t.Before(sqlDateTimeMin):
		t = sqlDateTimeMin
	case t.After(sqlDateTimeMax):
		t = sqlDateTimeMax
	}
	return mssql.DateTime1(t)
}

func (mssqlDialect) top(list, rest string, n int) string {
	return fmt.Sprintf("SELECT TOP (%d) %s %s", n, list, rest)
}

// identitySQL asks which store-assigned ID columns are IDENTITY columns
// (1), plain columns (0) or missing (NULL).
func identitySQL() string {
	var b strings.Builder
	for i, c := range idColumns {
		if i > 0 {
			b.WriteString("\nUNION ALL ")
		}
		fmt.Fprintf(&b, "SELECT '%s', COLUMNPROPERTY(OBJECT_ID('%s'), '%s', 'IsIdentity')", c.table, c.table, c.column)
	}
	return b.String()
}

func (mssqlDialect) identityTables(ctx context.Context, q querier) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, identitySQL())
	if err != nil {
		return nil, fmt.Errorf("read identity columns: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var table string
		var isIdentity sql.NullInt64
		if err := rows.Scan(&table, &isIdentity); err != nil {
			return nil, fmt.Errorf("read identity columns: %w", err)
		}
		if isIdentity.Int64 == 1 {
			out[table] = true
		}
	}
	return out, rows.Err()
}

func (mssqlDialect) columnsSQL() string {
	return `SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? ORDER BY ORDINAL_POSITION`
}

// rebind turns the store's ? placeholders into go-mssqldb's @p1, @p2, ...
// The store's SQL never has a ? inside a string literal.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("@p")
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mssqlQuerier rebinds placeholders on the way to go-mssqldb and gives
// every text parameter one declared type. last is the statement it sent
// last: a lock timeout or a deadlock names its tables (lockWait).
type mssqlQuerier struct {
	q    querier
	last *string
}

func (m mssqlQuerier) sent(query string) string {
	if m.last != nil {
		*m.last = query
	}
	return query
}

func (m mssqlQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return m.q.ExecContext(ctx, m.sent(rebind(query)), typedArgs(args)...)
}
func (m mssqlQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return m.q.QueryContext(ctx, m.sent(rebind(query)), typedArgs(args)...)
}
func (m mssqlQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return m.q.QueryRowContext(ctx, m.sent(rebind(query)), typedArgs(args)...)
}

// typedArgs sends text parameters as nvarchar(max). go-mssqldb declares a
// Go string as nvarchar(n) with n its own length, so every distinct length
// compiled and cached a plan of its own; with one declared type a
// statement has one plan. NULL text stays NULL (nvarchar(4000)).
func typedArgs(args []any) []any {
	out := args
	for i, a := range args {
		var v any
		switch x := a.(type) {
		case string:
			v = mssql.NVarCharMax(x)
		case sql.NullString:
			if !x.Valid {
				continue
			}
			v = mssql.NVarCharMax(x.String)
		default:
			continue
		}
		if len(out) > 0 && &out[0] == &args[0] {
			out = append([]any(nil), args...)
		}
		out[i] = v
	}
	return out
}
func (m mssqlQuerier) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if strings.HasPrefix(query, "INSERTBULK ") { // mssql.CopyIn: JSON, not SQL
		return m.q.PrepareContext(ctx, m.sent(query))
	}
	return m.q.PrepareContext(ctx, m.sent(rebind(query)))
}

// chatColumns are the tblChat columns a message fills, in order.
var chatColumns = []string{"channelId", "chatId", "chatDate", "userId", "isAlert", "content", "rtf"}

// chatSelectList is the select list that reads tblChat's columns in
// chatColumns order from a database of dialect d whose catalogue is cat
// (a dry run's history is the real database: its dialect and catalogue).
// go-mssqldb (v1.11.2) decodes a varchar value with the
// code page of its collation's locale and ignores the collation's UTF-8
// flag (internal/cp collation2charset; it never asks the server for UTF-8
// support at login), so the rtf of a _UTF8 collation (SQL Server 2019 and
// later) would read back as Windows-1252 text, 日本 as "æ—¥æœ¬". On such a
// column the server converts the value to nvarchar itself; other code pages
// go-mssqldb decodes, and are read as they are (half the bytes on the
// wire).
func chatSelectList(d dialect, cat *catalog) string {
	cols, _ := chatSelect(d, cat)
	return cols
}

// chatSelect is chatSelectList, and which of content and rtf it reads as
// their UTF-16LE bytes (raw[0], raw[1]): on SQL Server an nvarchar or nchar
// text column is read as CONVERT(varbinary(max), col), the same bytes
// on the wire, and decoded by readPage (decodeUTF16LE). go-mssqldb decodes
// nvarchar with utf16.Decode, which puts U+FFFD in place of a surrogate
// without its pair and says nothing; decoded here, such a message is
// known (pchat.Message.Unpaired) and the export refuses it. An ntext
// column (not the documented type, but an old database's may be) is
// converted to nvarchar(max) first, a conversion SQL Server documents, and
// read the same way: read as it is, go-mssqldb put U+FFFD in place of such
// a surrogate, and the export carried it without a word where the
// doctor's text line (which checks ntext) failed the pool.
func chatSelect(d dialect, cat *catalog) (string, [2]bool) {
	var raw [2]bool
	content, rtf := "content", "rtf"
	if _, ok := d.(mssqlDialect); ok && cat != nil {
		if col, ok := cat.column("tblChat", "content"); ok {
			content, raw[0] = utf16Bytes(col, "content")
		}
		if col, ok := cat.column("tblChat", "rtf"); ok && col.Unicode() {
			rtf, raw[1] = utf16Bytes(col, "rtf")
		} else if ok && col.Collation.CodePage == 65001 {
			rtf = "CONVERT(nvarchar(max), rtf) AS rtf"
		}
	}
	return "channelId, chatId, chatDate, userId, isAlert, " + content + ", " + rtf, raw
}

// utf16Bytes is the select-list item that reads the text column col
// (named name in the result) as its UTF-16LE bytes, and true; the column
// itself and false for a column of another type.
func utf16Bytes(col Column, name string) (string, bool) {
	switch col.Type {
	case "nvarchar", "nchar":
		return "CONVERT(varbinary(max), " + name + ") AS " + name, true
	case "ntext":
		return "CONVERT(varbinary(max), CONVERT(nvarchar(max), " + name + ")) AS " + name, true
	}
	return name, false
}

// bulkOptions are the bulk-copy settings for tblChat: rows arrive in primary
// key order, so the ORDER hint saves the server a sort; constraints are
// checked and triggers fire as for an INSERT (without FIRE_TRIGGERS the
// server disables the table's triggers for the load, which needs ALTER
// permission: a db_datawriter login could not). keepNulls asks for
// KEEP_NULLS (chatKeepNulls).
func bulkOptions(rows int, cols []string, keepNulls bool) mssql.BulkOptions {
	return mssql.BulkOptions{RowsPerBatch: rows, Order: []string{cols[0], cols[1]}, KeepNulls: keepNulls,
		CheckConstraints: true, FireTriggers: true}
}

// chatKeepNulls reports whether a bulk copy into tblChat needs KEEP_NULLS:
// only when a column it writes has a DEFAULT, which a bulk load would
// otherwise put in place of a NULL (rtf). Without a catalogue (tests of the
// bare dialect) it keeps NULLs. Where none of them has one, KEEP_NULLS is
// left out: SQL Server's documentation says that it makes a bulk load
// ignore DEFAULT definitions, and a real tblChat may have columns the
// documented schema lacks, NOT NULL with a default, which pcmig leaves out
// and an INSERT fills with their defaults (the doctor accepts them).
// Without KEEP_NULLS a bulk load fills them as an INSERT does, and a NULL
// rtf without a default stays NULL.
func (c *catalog) chatKeepNulls() bool {
	if c == nil {
		return true
	}
	for _, name := range chatColumns {
		if col, ok := c.column("tblChat", name); ok && col.Default {
			return true
		}
	}
	return false
}

// messageRow is one tblChat row as go-mssqldb wants it; bulk copy insists
// on a bool for a bit column.
func messageRow(m pchat.Message) []any {
	var rtf any
	if m.RTF != nil {
		rtf = *m.RTF
	}
	return []any{m.RoomID, m.ChatID, m.Date, m.UserID, m.Alert, m.Content, rtf}
}

// insertMessages sends every batch, whatever its size, with the TDS
// bulk-load protocol inside the caller's transaction: the statement is
// prepared on q, each Exec adds a row, and an Exec without arguments sends
// them. The count the server reports for a bulk load is not trusted (SET
// NOCOUNT ON in the server's user options hides it): the rows are counted
// back with a seek on the primary key instead.
func (d mssqlDialect) insertMessages(ctx context.Context, q querier, cols []string, msgs []pchat.Message) (err error) {
	if len(msgs) == 0 {
		return nil
	}
	stmt, err := q.PrepareContext(ctx, mssql.CopyIn("tblChat", bulkOptions(len(msgs), cols, d.cat.chatKeepNulls()), cols...))
	if err != nil {
		return fmt.Errorf("bulk copy into tblChat: %w", err)
	}
	defer func() { err = errors.Join(err, stmt.Close()) }()
	row := func(i int, _ []any) ([]any, error) { return d.cat.chatRow(msgs[i]) }
	if err := sendBulk(ctx, stmt, len(msgs), row); err != nil {
		return fmt.Errorf("bulk copy into tblChat: %w", err)
	}
	return countBack(ctx, q, msgs)
}

// sendBulk gives a prepared bulk copy n rows, row(i, buf) making the i-th
// (buf is the previous row, to reuse), and ends it. go-mssqldb streams the
// rows as one bulk-load message that only the Exec without arguments ends,
// and anything else sent on the connection before that would follow an
// unfinished message. So once begun, the rows go on and the message is
// ended whatever happens to ctx: go-mssqldb's copy-in statement does not
// watch a context, and database/sql would refuse the next row of a
// cancelled one. A cancellation reaches the server as an attention while
// go-mssqldb reads the bulk copy's reply (under the context of the
// statement's Prepare), which stops the load, and is returned. A row that
// cannot be made, or that go-mssqldb refuses (before sending any of it),
// ends the message too; the transaction that fails rolls back the rows
// sent. Store.tx keeps database/sql from rolling the transaction back
// between two rows.
func sendBulk(ctx context.Context, stmt *sql.Stmt, n int, row func(i int, buf []any) ([]any, error)) error {
	send := context.WithoutCancel(ctx)
	var buf []any
	for i := 0; i < n; i++ {
		var err error
		if buf, err = row(i, buf); err == nil {
			_, err = stmt.ExecContext(send, buf...)
		}
		if err != nil {
			_, end := stmt.ExecContext(send)
			return errors.Join(err, end)
		}
	}
	if _, err := stmt.ExecContext(send); err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			return errors.Join(err, cerr) // the attention's end of the load
		}
		return err
	}
	return ctx.Err()
}

// chatRange is the chat IDs a batch gave one room.
type chatRange struct {
	room     int32
	lo, hi   int64
	messages int64
}

// countBack checks, with primary-key seeks, that tblChat holds every row of
// msgs (sorted by room, each room's chat IDs consecutive).
func countBack(ctx context.Context, q querier, msgs []pchat.Message) error {
	var ranges []chatRange
	for _, m := range msgs {
		if n := len(ranges); n > 0 && ranges[n-1].room == m.RoomID {
			ranges[n-1].hi = m.ChatID
			ranges[n-1].messages++
			continue
		}
		ranges = append(ranges, chatRange{room: m.RoomID, lo: m.ChatID, hi: m.ChatID, messages: 1})
	}
	var held int64
	for len(ranges) > 0 {
		chunk := ranges[:min(len(ranges), inBuckets[len(inBuckets)-1])]
		ranges = ranges[len(chunk):]
		n := inBucket(len(chunk))
		args := make([]any, 0, 3*n)
		for i := 0; i < n; i++ {
			if i < len(chunk) {
				args = append(args, chunk[i].room, chunk[i].lo, chunk[i].hi)
			} else {
				args = append(args, int32(0), int64(1), int64(0)) // an empty range
			}
		}
		var k int64
		if err := q.QueryRowContext(ctx, countBackSQL(n), args...).Scan(&k); err != nil {
			return fmt.Errorf("count the rows bulk copy put into tblChat: %w", err)
		}
		held += k
	}
	if held != int64(len(msgs)) {
		return fmt.Errorf("bulk copy into tblChat: the server holds %d of the %d rows sent", held, len(msgs))
	}
	return nil
}

// countBackSQL counts the tblChat rows in n (room, first, last) ranges.
func countBackSQL(n int) string {
	return "SELECT COUNT_BIG(*) FROM tblChat AS t JOIN (VALUES " + strings.TrimSuffix(strings.Repeat("(?,?,?),", n), ",") +
		") AS v(room, lo, hi) ON t.channelId = v.room AND t.chatId BETWEEN v.lo AND v.hi"
}

func openSQLServer(ctx context.Context, cfg Config, conn driver.Connector) (*Store, error) {
	db, err := openSQLServerDB(ctx, cfg, conn)
	if err != nil {
		return nil, err
	}
	return newStore(cfg, db, mssqlDialect{}), nil
}

// openSQLServerDB connects to the server (through conn when given). Every
// connection gets pcmig's session options (sessionConnector).
func openSQLServerDB(ctx context.Context, cfg Config, conn driver.Connector) (*sql.DB, error) {
	if conn == nil {
		dsn, err := ConnString(cfg)
		if err != nil {
			return nil, err
		}
		c, err := mssql.NewConnector(dsn) // what sql.Open("sqlserver", dsn) uses
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", cfg.Describe(), err)
		}
		conn = c
	}
	idle := cfg.SessionIdleCheck
	if idle == 0 {
		idle = DefaultSessionIdleCheck
	}
	db := sql.OpenDB(sessionConnector{inner: conn, idleCheck: idle})
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(explainConnect(cfg, err), db.Close())
	}
	return db, nil
}
