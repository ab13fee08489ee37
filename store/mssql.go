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
}

func (mssqlDialect) name() string           { return "sqlserver" }
func (mssqlDialect) wrap(q querier) querier { return mssqlQuerier{q} }
func (mssqlDialect) guid(col string) string { return "CONVERT(nvarchar(36), " + col + ")" }
func (mssqlDialect) datetime(t time.Time) any {
	return t.UTC()
}

func (mssqlDialect) top(list, rest string, n int) string {
	return fmt.Sprintf("SELECT TOP (%d) %s %s", n, list, rest)
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
	return m.q.PrepareContext(ctx, query)
}

// mssqlInsertRows is how many rows one INSERT ... VALUES carries: SQL Server
// allows 2100 parameters and 1000 rows per statement.
const mssqlInsertRows = 290

// messageBatches splits a batch for SQL Server: bulk copy for large batches,
// multi-row INSERTs of at most mssqlInsertRows otherwise.
func messageBatches(msgs []pchat.Message, rows int) [][]pchat.Message {
	var out [][]pchat.Message
	for len(msgs) > 0 {
		n := min(len(msgs), rows)
		out = append(out, msgs[:n])
		msgs = msgs[n:]
	}
	return out
}

// insertSQL is the multi-row INSERT for n messages.
func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?)")
	}
	return b.String()
}

// chatColumns are the tblChat columns bulk copy fills, in order.
var chatColumns = []string{"channelId", "chatId", "chatDate", "userId", "isAlert", "content", "rtf"}

// bulkOptions are the bulk-copy settings for tblChat: rows arrive in primary
// key order, so the ORDER hint saves the server a sort.
func bulkOptions(rows int) mssql.BulkOptions {
	return mssql.BulkOptions{RowsPerBatch: rows, Order: []string{"channelId", "chatId"}, KeepNulls: true, CheckConstraints: true}
}

func messageRow(m pchat.Message) []any {
	var rtf any
	if m.RTF != nil {
		rtf = *m.RTF
	}
	return []any{m.RoomID, m.ChatID, m.Date, m.UserID, m.Alert, m.Content, rtf}
}

func (d mssqlDialect) insertMessages(ctx context.Context, q querier, msgs []pchat.Message) error {
	if len(msgs) >= d.bulkMin {
		stmt, err := q.PrepareContext(ctx, mssql.CopyIn("tblChat", bulkOptions(len(msgs)), chatColumns...))
		if err != nil {
			return fmt.Errorf("bulk copy into tblChat: %w", err)
		}
		for _, m := range msgs {
			if _, err := stmt.ExecContext(ctx, messageRow(m)...); err != nil {
				return errors.Join(fmt.Errorf("bulk copy into tblChat: %w", err), stmt.Close())
			}
		}
		_, err = stmt.ExecContext(ctx)
		return errors.Join(err, stmt.Close())
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
