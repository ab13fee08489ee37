package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// TestReadOnlyOpenAfterACrash: a writer killed in the middle of a
// transaction leaves a hot journal, which only a read-write connection
// can roll back. A read-only store (inventory, export, doctor, the
// resumed run's pre-flight) must still open the database, and see it as
// it was before the killed transaction.
func TestReadOnlyOpenAfterACrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	newPool(t, live)
	u := func(p string) string {
		return (&url.URL{Scheme: "file", Opaque: (&url.URL{Path: p}).EscapedPath(), RawQuery: "_pragma=cache_size(1)"}).String()
	}
	db, err := sql.Open("sqlite", u(live))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A transaction big enough to spill pages into the database file
	// before it commits: what a kill leaves behind.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE filler (x BLOB)`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO filler VALUES (randomblob(2000))`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tblNode SET nodeName = 'half-written' WHERE nodeID = 1`); err != nil {
		t.Fatal(err)
	}
	crashed := filepath.Join(dir, "crashed.db")
	labtest.CopyFile(t, live, crashed)
	labtest.CopyFile(t, live+"-journal", crashed+"-journal")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + crashed, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open after a crash: %v", err)
	}
	defer s.Close()
	if _, err := s.Categories(ctx); err != nil {
		t.Fatal(err)
	}
	check, err := sql.Open("sqlite", u(crashed))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var name string
	if err := check.QueryRowContext(ctx, `SELECT nodeName FROM tblNode WHERE nodeID = 1`).Scan(&name); err != nil || name != "Root" {
		t.Errorf("root node name %q, %v: the killed transaction was not rolled back", name, err)
	}
}
