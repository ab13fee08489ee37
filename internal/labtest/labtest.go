// Package labtest holds what the packages' tests share: a lab estate built
// once per test binary, byte-for-byte copies of its files, so that each
// test works on databases of its own, and plain SQL run on them.
package labtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/lab"

	_ "modernc.org/sqlite" // the "sqlite" driver ExecSQLite opens
)

// Main is a TestMain: it builds a lab estate with opts in a temporary
// folder, sets *template to the estate's folder, runs the tests, removes
// the folder and exits with the tests' code. A lab that cannot be built
// exits with code 2 before any test runs.
func Main(m *testing.M, opts lab.Options, template *string) {
	dir, err := os.MkdirTemp("", "pcmig-test-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	*template = filepath.Join(dir, "estate")
	if _, err := lab.Init(context.Background(), *template, opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// CopyFile copies the file from to the new file to, byte for byte; any
// failure fails the test.
func CopyFile(t testing.TB, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// ExecSQLite runs statements, one after another, on the SQLite file at
// path with plain SQL, behind pcmig's back, as someone with SQL access to
// the database would. A statement that fails fails the test.
func ExecSQLite(t testing.TB, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// QuerySQLite runs a query on the SQLite file at path with plain SQL and
// returns its rows, each column as text (NULL as ""). A query that fails
// fails the test.
func QuerySQLite(t testing.TB, path, query string) [][]string {
	t.Helper()
	var out [][]string
	for _, vals := range QueryNullable(t, path, query) {
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	return out
}

// QueryNullable is QuerySQLite with each column's NULL told apart from
// an empty text.
func QueryNullable(t testing.TB, path, query string) [][]sql.NullString {
	t.Helper()
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: "_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]sql.NullString
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
