package bindings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/pcmig/pcmig/archive"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// TestErrorKindsOfTheDatabasesAndTheDisk classifies errors as the drivers
// and the disk really produce them: a read-only SQLite database and a full
// one (made real with a page limit), SQL Server's read-only, permission and
// full errors, a full disk, a damaged archive, the writer lock.
func TestErrorKindsOfTheDatabasesAndTheDisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	open := func(query string) *sql.DB {
		u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: query}
		db, err := sql.Open("sqlite", u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	rw := open("")
	if _, err := rw.ExecContext(ctx, `CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	_, readOnly := open("mode=ro").ExecContext(ctx, `INSERT INTO t VALUES ('a')`)
	full := open("_pragma=max_page_count(3)")
	var diskFull error
	for i := 0; i < 1000 && diskFull == nil; i++ {
		_, diskFull = full.ExecContext(ctx, `INSERT INTO t VALUES (?)`, strings.Repeat("x", 4000))
	}
	if readOnly == nil || diskFull == nil {
		t.Fatalf("the planted SQLite errors did not happen: %v, %v", readOnly, diskFull)
	}
	wrap := func(err error) error { return fmt.Errorf("append 5 messages to room 3 sqlite:x.db: %w", err) }
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"SQLite read-only", wrap(readOnly), pcrt.KindConflict},
		{"SQLite full", wrap(diskFull), pcrt.KindIO},
		{"SQL Server read-only database", wrap(mssql.Error{Number: 3906, Message: "Failed to update database \"mgc\" because the database is read-only."}), pcrt.KindConflict},
		{"SQL Server permission denied", wrap(mssql.Error{Number: 229, Message: "The INSERT permission was denied"}), pcrt.KindConflict},
		{"SQL Server log full", wrap(mssql.Error{Number: 9002, Message: "The transaction log for database 'mgc' is full"}), pcrt.KindIO},
		{"SQL Server filegroup full", wrap(mssql.Error{Number: 1105, Message: "Could not allocate space"}), pcrt.KindIO},
		{"SQL Server lock timeout", wrap(mssql.Error{Number: 1222, Message: "Lock request time out period exceeded."}), pcrt.KindConflict},
		{"SQL Server deadlock victim", wrap(mssql.Error{Number: 1205, Message: "Transaction (Process ID 57) was deadlocked"}), pcrt.KindConflict},
		{"SQL Server other", wrap(mssql.Error{Number: 2627, Message: "Violation of PRIMARY KEY"}), pcrt.KindDatabase},
		{"disk full", fmt.Errorf("write archive: %w", &fs.PathError{Op: "write", Path: "a.zip", Err: syscall.ENOSPC}), pcrt.KindIO},
		{"damaged archive", fmt.Errorf("open archive a.zip: %w", archive.Damaged(errors.New("part categories.jsonl listed in the manifest is missing from the zip"))), pcrt.KindValidation},
		{"writer lock", &store.LockedError{DB: "sqlite:x.db"}, pcrt.KindConflict},
		{"writer lock lost", fmt.Errorf("append: %w", store.ErrLockLost), pcrt.KindConflict},
		{"lock timeout", fmt.Errorf("write 1 category: %w", store.ErrLockTimeout), pcrt.KindConflict},
		{"deadlock after the retries", fmt.Errorf("append: %w", store.ErrDeadlock), pcrt.KindConflict},
		{"read-only store", fmt.Errorf("x: %w", store.ErrReadOnly), pcrt.KindConflict},
		{"plain driver error", wrap(errors.New("driver: bad connection")), pcrt.KindDatabase},
	} {
		if got := errorKind(tt.err); got != tt.want {
			t.Errorf("%s: errorKind(%v) = %s, want %s", tt.name, tt.err, got, tt.want)
		}
	}
}
