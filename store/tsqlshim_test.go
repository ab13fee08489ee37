package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

// tsqlShim stands in for a SQL Server whose mgc is an embedded lab
// database: it answers the store's T-SQL reads from that database, opened
// read-only, after translating them to SQLite, and refuses and records
// everything else (writes, transactions, bulk copies). The catalogue
// queries are answered from the documented schema (fakeCatalog), which is
// what a lab database has.
type tsqlShim struct {
	db *sql.DB
	// cat answers the catalogue queries (default: the documented schema,
	// SQL_Latin1_General_CP1_CI_AS throughout).
	cat fakeCatalog
	// callLog holds every statement the store sent: "query", "exec",
	// "prepare" or "begin".
	callLog
}

// newTSQLShim opens the embedded database at path read-only.
func newTSQLShim(path string) (*tsqlShim, error) {
	db, err := sql.Open("sqlite", SQLiteURI(path, true))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &tsqlShim{db: db}, nil
}

func (s *tsqlShim) Close() error { return s.db.Close() }

func (s *tsqlShim) Connect(context.Context) (driver.Conn, error) { return &shimConn{s}, nil }
func (s *tsqlShim) Driver() driver.Driver                        { return nil }

type shimConn struct{ s *tsqlShim }

var errShimRefused = errors.New("tsql shim: the stand-in server takes reads only")

// Prepare accepts a read, run when the statement is queried; a bulk copy
// (INSERTBULK) is refused.
func (c *shimConn) Prepare(query string) (driver.Stmt, error) {
	if strings.HasPrefix(query, "INSERTBULK ") {
		c.s.add(call{Op: "prepare", Query: query})
		return nil, errShimRefused
	}
	return &shimStmt{c: c, query: query}, nil
}

// shimStmt is a prepared read.
type shimStmt struct {
	c     *shimConn
	query string
}

func (s *shimStmt) Close() error  { return nil }
func (s *shimStmt) NumInput() int { return -1 }
func (s *shimStmt) Exec([]driver.Value) (driver.Result, error) {
	s.c.s.add(call{Op: "exec", Query: s.query})
	return nil, errShimRefused
}
func (s *shimStmt) Query(args []driver.Value) (driver.Rows, error) {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return s.c.QueryContext(context.Background(), s.query, named)
}
func (s *shimStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, args)
}
func (c *shimConn) Close() error { return nil }
func (c *shimConn) Begin() (driver.Tx, error) {
	c.s.add(call{Op: "begin"})
	return nil, errShimRefused
}

func (c *shimConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch v := nv.Value.(type) {
	case mssql.NVarCharMax:
		nv.Value = string(v)
		return nil
	case mssql.DateTime1:
		nv.Value = time.Time(v).UTC().Format(sqliteDateTime)
		return nil
	}
	return driver.ErrSkip
}

func (c *shimConn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.s.add(call{Op: "exec", Query: query, Args: values(args)})
	if query == sessionInitSQL { // the session options: no write
		return driver.RowsAffected(0), nil
	}
	return nil, errShimRefused
}

func (c *shimConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := tooManyParams(&c.s.callLog, "query", query, len(args)); err != nil {
		return nil, err
	}
	c.s.add(call{Op: "query", Query: query, Args: values(args)})
	if rows, ok := c.s.cat.answer(query, args); ok {
		return &fakeRows{rows: rows}, nil
	}
	if rows, ok := fakeSystem(query); ok {
		return &fakeRows{rows: rows}, nil
	}
	if query == identitySQL() {
		var rows [][]driver.Value
		for _, col := range idColumns {
			rows = append(rows, []driver.Value{col.table, int64(0)})
		}
		return &fakeRows{rows: rows}, nil
	}
	lite, err := translateTSQL(query)
	if err != nil {
		return nil, err
	}
	rows, err := c.s.db.QueryContext(ctx, lite, values(args)...)
	if err != nil {
		return nil, fmt.Errorf("tsql shim: %w in %s (from %s)", err, lite, query)
	}
	return readAllRows(rows)
}

// bitColumns are the documented mgc columns of type bit. go-mssqldb
// returns a bit value as a bool (v1.11.2 readFixedType, typeBit and
// typeBitN), never as the integer an embedded database holds, so a read
// that scans one into an integer fails on a real server ("converting
// driver.Value type bool"): the shim answers them as bools too.
var bitColumns = func() map[string]bool {
	out := map[string]bool{}
	def := regexp.MustCompile(`(?m)^\s*\[?([A-Za-z]+)\]? bit\b`)
	for _, t := range mssqlTables {
		for _, m := range def.FindAllStringSubmatch(t.body, -1) {
			out[m[1]] = true
		}
	}
	return out
}()

// readAllRows reads a result into memory. A result column that is a
// documented bit column, named as it is (SQLite names a bare column
// reference "nodeType", also as "n.nodeType"), comes back as go-mssqldb
// returns it: a bool.
func readAllRows(rows *sql.Rows) (driver.Rows, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := &fakeRows{}
	bits := make([]bool, len(cols))
	for i, c := range cols {
		bits[i] = bitColumns[c]
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]driver.Value, len(vals))
		for i, v := range vals {
			if n, ok := v.(int64); ok && bits[i] {
				row[i] = n != 0
				continue
			}
			row[i] = driverText(v)
		}
		out.rows = append(out.rows, row)
	}
	return out, rows.Err()
}

// The rules that turn the store's T-SQL reads into SQLite. A read the
// rules do not cover fails loudly rather than being guessed.
var (
	tsqlTop       = regexp.MustCompile(`^SELECT TOP \((\d+)\) `)
	tsqlParam     = regexp.MustCompile(`@p(\d+)`)
	tsqlBracket   = regexp.MustCompile(`\[([A-Za-z_]+)\]`)
	tsqlGUIDText  = regexp.MustCompile(`CONVERT\(nvarchar\(36\), ([^()]+)\)`)
	tsqlGUIDEqual = regexp.MustCompile(`([A-Za-z_.]+) = CONVERT\(uniqueidentifier, (\?\d+)\)`)
	tsqlDateAdd   = regexp.MustCompile(`DATEADD\(second, (-?\d+), GET(UTC)?DATE\(\)\)`)
	tsqlDataLen   = regexp.MustCompile(`DATALENGTH\(([a-z]+)\)`)
	tsqlValues    = regexp.MustCompile(`\(VALUES ([?0-9(),]+)\) AS v\(id\)`)
	tsqlBigint    = regexp.MustCompile(`CONVERT\(bigint, ([A-Za-z_.]+)\)`)
	tsqlUnknown   = regexp.MustCompile(`(?i)\b(WITH \(|IDENT_CURRENT|OBJECT_ID|DECLARE|OUTPUT|GETDATE|SYSDATETIME)`)
)

func translateTSQL(q string) (string, error) {
	top := ""
	if m := tsqlTop.FindStringSubmatch(q); m != nil {
		top = m[1]
		q = "SELECT " + q[len(m[0]):]
	}
	q = translateText(q)
	q = tsqlParam.ReplaceAllString(q, "?$1")
	q = tsqlValues.ReplaceAllString(q, "(SELECT column1 AS id FROM (VALUES $1)) AS v")
	q = tsqlBracket.ReplaceAllString(q, `"$1"`)
	q = tsqlGUIDText.ReplaceAllString(q, "$1")
	q = tsqlGUIDEqual.ReplaceAllString(q, "LOWER($1) = LOWER($2)")
	q = tsqlDateAdd.ReplaceAllString(q, "datetime('now', '$1 seconds')")
	q = strings.ReplaceAll(q, "serverLastPingTime >", "datetime(serverLastPingTime) >")
	q = strings.ReplaceAll(q, "serverLastPingTime <", "datetime(serverLastPingTime) <")
	// DATALENGTH counts bytes as the server stores them: tblChat.content
	// is nvarchar, two bytes per UTF-16 code unit (LENGTH counts
	// characters, which is the same outside the astral planes); the
	// other columns it is used on are varchar, a byte per byte.
	q = strings.ReplaceAll(q, "DATALENGTH(content)", "(2 * LENGTH(content))")
	q = tsqlDataLen.ReplaceAllString(q, "LENGTH(CAST($1 AS BLOB))")
	q = strings.ReplaceAll(q, "COUNT_BIG(", "COUNT(")
	q = tsqlBigint.ReplaceAllString(q, "CAST($1 AS INTEGER)")
	if m := tsqlUnknown.FindString(q); m != "" {
		return "", fmt.Errorf("tsql shim: no SQLite form for %q in %s", m, q)
	}
	if top != "" {
		q += " LIMIT " + top
	}
	return q, nil
}
