package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"
)

// recorder is a database/sql driver that records what the store sends and
// answers queries from a script: enough to test the SQL Server dialect's
// statements without a server.
type recorder struct {
	callLog
	// answer returns the rows for a query (nil: no rows).
	answer func(query string, args []driver.NamedValue) [][]driver.Value
	// nocount makes every statement report no rows affected, as SQL
	// Server does under SET NOCOUNT ON (a server's `user options` can set
	// it for every session): the DONE token then carries no count.
	nocount bool
	// bulkRow, when set, is called after each row a bulk copy is given,
	// with the number of rows it has so far.
	bulkRow func(rows int64)
	// bulkEnd, when set, is the error the end of a bulk copy that was given
	// rows returns (the server's, or go-mssqldb's).
	bulkEnd error
}

// call is one thing the store did: "prepare", "exec", "query", "close",
// "begin", "commit" or "rollback".
type call struct {
	Op    string
	Query string
	Args  []any
}

// callLog is the calls a stand-in driver saw, safe for concurrent use.
type callLog struct {
	mu    sync.Mutex
	calls []call
}

func (l *callLog) add(c call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

// Calls returns what the store sent so far.
func (l *callLog) Calls() []call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]call(nil), l.calls...)
}

// openRecorder returns a *sql.DB whose one connection is the recorder.
func openRecorder(t *testing.T, answer func(string, []driver.NamedValue) [][]driver.Value) (*sql.DB, *recorder) {
	t.Helper()
	r := &recorder{answer: answer}
	db := sql.OpenDB(r)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db, r
}

func (r *recorder) Connect(context.Context) (driver.Conn, error) { return &fakeConn{r: r}, nil }
func (r *recorder) Driver() driver.Driver                        { return nil }

// fakeConn is one connection. Like a SQL Server session without MARS
// (go-mssqldb has none), it takes no request while a result set it
// returned is still open: go-mssqldb would send the request, then wait
// for the open result's reader, which waits for the caller to read on,
// and hang (v1.11.2 startResponseReader).
//
// Nor does it take one while a bulk copy it started is unfinished (rows
// sent, and not the Exec without arguments that ends it): go-mssqldb
// streams the rows as one bulk-load message and would put the request's
// packets after the message's unfinished part (v1.11.2 Bulk.AddRow, Done).
type fakeConn struct {
	r    *recorder
	open int       // result sets returned and not yet closed
	bulk *fakeStmt // the bulk copy whose rows are being sent
}

// errOpenResult is a request sent while a result set of the same
// connection is open.
var errOpenResult = errors.New("recorder: a request on a connection whose result set is still open (SQL Server without MARS)")

// errBulkUnfinished is a request sent while a bulk copy of the same
// connection has sent rows and not been ended.
var errBulkUnfinished = errors.New("recorder: a request on a connection whose bulk copy is unfinished")

// maxParams is how many parameters SQL Server takes in one request: 2100,
// of which sp_executesql's own @stmt and @params take two (error 8003,
// "The incoming request has too many parameters").
const maxParams = 2098

// tooManyParams is SQL Server's refusal of a request with more than
// maxParams parameters, recorded.
func tooManyParams(l *callLog, op, query string, n int) error {
	if n <= maxParams {
		return nil
	}
	l.add(call{Op: "too many parameters " + op, Query: query})
	return fmt.Errorf("recorder: %d parameters in one request: SQL Server takes at most 2100, sp_executesql's two included (error 8003)", n)
}

// busy records and returns errOpenResult when a result set is open, and
// errBulkUnfinished when a bulk copy is unfinished.
func (c *fakeConn) busy(op, query string) error {
	switch {
	case c.open > 0:
		c.r.add(call{Op: "busy " + op, Query: query})
		return errOpenResult
	case c.bulk != nil:
		c.r.add(call{Op: "mid-bulk " + op, Query: query})
		return errBulkUnfinished
	}
	return nil
}

func (c *fakeConn) Prepare(query string) (driver.Stmt, error) {
	if err := c.busy("prepare", query); err != nil {
		return nil, err
	}
	c.r.add(call{Op: "prepare", Query: query})
	return &fakeStmt{r: c.r, c: c, query: query}, nil
}
func (c *fakeConn) Close() error { return nil }
func (c *fakeConn) Begin() (driver.Tx, error) {
	if err := c.busy("begin", ""); err != nil {
		return nil, err
	}
	c.r.add(call{Op: "begin"})
	return fakeTx{c}, nil
}

// CheckNamedValue passes go-mssqldb's own parameter types through, as the
// real driver does, and converts the rest the database/sql way.
func (c *fakeConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch nv.Value.(type) {
	case mssql.DateTime1, mssql.NVarCharMax:
		return nil
	}
	return driver.ErrSkip
}

func (c *fakeConn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.busy("exec", query); err != nil {
		return nil, err
	}
	if err := tooManyParams(&c.r.callLog, "exec", query, len(args)); err != nil {
		return nil, err
	}
	c.r.add(call{Op: "exec", Query: query, Args: values(args)})
	if c.r.nocount {
		return driver.RowsAffected(0), nil
	}
	return driver.RowsAffected(1), nil
}

func (c *fakeConn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.busy("query", query); err != nil {
		return nil, err
	}
	if err := tooManyParams(&c.r.callLog, "query", query, len(args)); err != nil {
		return nil, err
	}
	c.r.add(call{Op: "query", Query: query, Args: values(args)})
	var rows [][]driver.Value
	if c.r.answer != nil {
		rows = c.r.answer(query, args)
	}
	c.open++
	return &fakeRows{rows: rows, conn: c}, nil
}

func values(args []driver.NamedValue) []any {
	if len(args) == 0 {
		return nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

type fakeTx struct{ c *fakeConn }

func (t fakeTx) Commit() error {
	if err := t.c.busy("commit", ""); err != nil {
		return err
	}
	t.c.r.add(call{Op: "commit"})
	return nil
}
func (t fakeTx) Rollback() error {
	if err := t.c.busy("rollback", ""); err != nil {
		return err
	}
	t.c.r.add(call{Op: "rollback"})
	return nil
}

// fakeStmt is a prepared statement; like go-mssqldb's bulk copy it takes
// any number of arguments and reports the rows it was given when executed
// without arguments.
type fakeStmt struct {
	r     *recorder
	c     *fakeConn
	query string
	rows  int64
}

func (s *fakeStmt) Close() error  { s.r.add(call{Op: "close", Query: s.query}); return nil }
func (s *fakeStmt) NumInput() int { return -1 }
func (s *fakeStmt) Exec(args []driver.Value) (driver.Result, error) {
	a := make([]any, len(args))
	for i, v := range args {
		a[i] = v
	}
	if len(a) == 0 {
		a = nil
	}
	if s.c.bulk != s {
		if err := s.c.busy("exec", s.query); err != nil {
			return nil, err
		}
	}
	if !strings.HasPrefix(s.query, "INSERTBULK ") { // a bulk copy's row is not a request
		if err := tooManyParams(&s.r.callLog, "exec", s.query, len(args)); err != nil {
			return nil, err
		}
	}
	s.r.add(call{Op: "exec", Query: s.query, Args: a})
	if strings.HasPrefix(s.query, "INSERTBULK ") {
		s.c.bulk = s
		if len(args) == 0 {
			s.c.bulk = nil
		}
	}
	if len(args) == 0 {
		if s.r.bulkEnd != nil && s.rows > 0 && strings.HasPrefix(s.query, "INSERTBULK ") {
			return nil, s.r.bulkEnd
		}
		if s.r.nocount {
			return driver.RowsAffected(0), nil
		}
		return driver.RowsAffected(s.rows), nil
	}
	s.rows++
	if s.r.bulkRow != nil && strings.HasPrefix(s.query, "INSERTBULK ") {
		s.r.bulkRow(s.rows)
	}
	return driver.RowsAffected(0), nil
}
func (s *fakeStmt) Query(args []driver.Value) (driver.Rows, error) {
	if err := tooManyParams(&s.r.callLog, "query", s.query, len(args)); err != nil {
		return nil, err
	}
	return &fakeRows{}, nil
}

// fakeRows is a result set; conn, when set, is the connection it keeps
// busy until it is closed.
type fakeRows struct {
	rows [][]driver.Value
	conn *fakeConn
	// cols is what Columns said first: database/sql asks again, after the
	// rows were read, to name the column of a Scan error.
	cols []string
}

func (r *fakeRows) Columns() []string {
	if r.cols == nil {
		r.cols = []string{"x"}
		if len(r.rows) > 0 {
			r.cols = make([]string, len(r.rows[0]))
		}
	}
	return r.cols
}
func (r *fakeRows) Close() error {
	if r.conn != nil {
		r.conn.open--
		r.conn = nil
	}
	return nil
}
func (r *fakeRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	if err, ok := r.rows[0][0].(error); ok { // the server fails the statement
		return err
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}
