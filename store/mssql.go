package store

import (
	"context"
	"database/sql"
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
	// bulkMin is the smallest batch that goes through bulk copy; smaller
	// batches use multi-row INSERT statements.
	bulkMin int
	// cat is the store's catalogue, set when the store opens: bulk copy
	// encodes varchar values for their code page (textcheck.go).
	cat *catalog
}

func (mssqlDialect) name() string           { return "sqlserver" }
func (mssqlDialect) wrap(q querier) querier { return mssqlQuerier{q} }
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

// explicitID runs an INSERT with an explicit value for an IDENTITY column.
// The three statements go to the server as one batch; with parameters
// (always, for the store's inserts) that batch runs through sp_executesql,
// whose SET options end with it, so IDENTITY_INSERT is never left on even
// when the INSERT fails.
func (d mssqlDialect) explicitID(table, insert string) string {
	t := d.ident(table)
	return "SET IDENTITY_INSERT " + t + " ON;\n" + insert + ";\nSET IDENTITY_INSERT " + t + " OFF;"
}

func (mssqlDialect) columns(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
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

// mssqlQuerier rebinds placeholders on the way to go-mssqldb.
type mssqlQuerier struct{ q querier }

func (m mssqlQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return m.q.ExecContext(ctx, rebind(query), args...)
}
func (m mssqlQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return m.q.QueryContext(ctx, rebind(query), args...)
}
func (m mssqlQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return m.q.QueryRowContext(ctx, rebind(query), args...)
}
func (m mssqlQuerier) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if strings.HasPrefix(query, "INSERTBULK ") { // mssql.CopyIn: JSON, not SQL
		return m.q.PrepareContext(ctx, query)
	}
	return m.q.PrepareContext(ctx, rebind(query))
}

// mssqlInsertRows is how many rows one INSERT ... VALUES carries: 290
// rows of seven parameters stay below SQL Server's 2,100 parameters per
// request (and its 1,000 rows per VALUES list).
const mssqlInsertRows = 290

// messageBatches splits messages into slices of at most rows messages.
func messageBatches(msgs []pchat.Message, rows int) [][]pchat.Message {
	var out [][]pchat.Message
	for len(msgs) > 0 {
		n := min(len(msgs), rows)
		out = append(out, msgs[:n])
		msgs = msgs[n:]
	}
	return out
}

// chatColumns are the tblChat columns bulk copy fills, in order.
var chatColumns = []string{"channelId", "chatId", "chatDate", "userId", "isAlert", "content", "rtf"}

// bulkOptions are the bulk-copy settings for tblChat: rows arrive in primary
// key order, so the ORDER hint saves the server a sort; NULL rtf stays NULL;
// constraints are checked as an INSERT would.
func bulkOptions(rows int) mssql.BulkOptions {
	return mssql.BulkOptions{RowsPerBatch: rows, Order: []string{"channelId", "chatId"}, KeepNulls: true, CheckConstraints: true}
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

// useBulk reports whether a batch of n messages goes through bulk copy.
func (d mssqlDialect) useBulk(n int) bool { return d.bulkMin > 0 && n >= d.bulkMin }

func (d mssqlDialect) insertMessages(ctx context.Context, q querier, msgs []pchat.Message) error {
	if d.useBulk(len(msgs)) {
		return bulkInsertMessages(ctx, q, d.cat, msgs)
	}
	for _, b := range messageBatches(msgs, mssqlInsertRows) {
		args := make([]any, 0, len(b)*7)
		for _, m := range b {
			args = append(args, messageRow(m)...)
		}
		if _, err := q.ExecContext(ctx, insertSQL(len(b)), args...); err != nil {
			return err
		}
	}
	return nil
}

// bulkInsertMessages streams rows with the TDS bulk-load protocol, inside
// the caller's transaction: the statement is prepared on q, each Exec adds
// a row, and an Exec without arguments sends them.
func bulkInsertMessages(ctx context.Context, q querier, cat *catalog, msgs []pchat.Message) (err error) {
	stmt, err := q.PrepareContext(ctx, mssql.CopyIn("tblChat", bulkOptions(len(msgs)), chatColumns...))
	if err != nil {
		return fmt.Errorf("bulk copy into tblChat: %w", err)
	}
	defer func() { err = errors.Join(err, stmt.Close()) }()
	for _, m := range msgs {
		row, err := cat.chatRow(m)
		if err != nil {
			return fmt.Errorf("bulk copy into tblChat: %w", err)
		}
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return fmt.Errorf("bulk copy into tblChat: %w", err)
		}
	}
	res, err := stmt.ExecContext(ctx)
	if err != nil {
		return fmt.Errorf("bulk copy into tblChat: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n != int64(len(msgs)) {
		return fmt.Errorf("bulk copy into tblChat: server took %d of %d rows", n, len(msgs))
	}
	return nil
}

func openSQLServer(ctx context.Context, cfg Config) (*Store, error) {
	conn, err := ConnString(cfg)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlserver", conn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Describe(), err)
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("connect to %s: %w", cfg.Describe(), err), db.Close())
	}
	s := &Store{cfg: cfg, db: db, dialect: mssqlDialect{bulkMin: 1000}}
	if cfg.Shadow {
		// A dry run against SQL Server: every write happens inside one
		// transaction that is rolled back on Close.
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, errors.Join(err, db.Close())
		}
		s.pinned = tx
	}
	return s, nil
}
