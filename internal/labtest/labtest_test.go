package labtest

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

func TestCopyFile(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	want := bytes.Repeat([]byte{0, 1, 2, 0xff}, 100_000) // more than one io.Copy buffer
	if err := os.WriteFile(from, want, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, []byte("old, longer than nothing"), 0o644); err != nil {
		t.Fatal(err)
	}
	CopyFile(t, from, to)
	if got, err := os.ReadFile(to); err != nil || !bytes.Equal(got, want) {
		t.Errorf("copy holds %d bytes (err %v), want the %d of the original", len(got), err, len(want))
	}
}

func TestExecSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	ExecSQLite(t, path, `CREATE TABLE t (v INTEGER)`, `INSERT INTO t VALUES (1), (2)`, `UPDATE t SET v = v * 10`)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sum int
	if err := db.QueryRow(`SELECT sum(v) FROM t`).Scan(&sum); err != nil || sum != 30 {
		t.Errorf("sum = %d, %v; want 30: every statement runs, in order", sum, err)
	}
}

func TestQuerySQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	ExecSQLite(t, path, `CREATE TABLE t (k INTEGER, v TEXT)`, `INSERT INTO t VALUES (1, 'a'), (2, NULL)`)
	got := QuerySQLite(t, path, `SELECT k, v FROM t ORDER BY k`)
	if len(got) != 2 || got[0][0] != "1" || got[0][1] != "a" || got[1][0] != "2" || got[1][1] != "" {
		t.Errorf("rows %q, want [[1 a] [2 ]]", got)
	}
}
