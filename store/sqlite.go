package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/pcmig/pcmig/pchat"
	_ "modernc.org/sqlite" // the embedded store's driver, pure Go
)

type sqliteDialect struct{}

func (sqliteDialect) name() string             { return "sqlite" }
func (sqliteDialect) wrap(q querier) querier   { return q }
func (sqliteDialect) guid(col string) string   { return col }
func (sqliteDialect) guidIs(col string) string { return "LOWER(" + col + ") = ?" }

// datetime writes t as SQL Server's datetime is written: the zero time
// (an archive's 0001-01-01T00:00:00Z, which is how pcmig reads SQL
// Server's least datetime) as 1753-01-01, so that an embedded pool holds
// what a SQL Server one would; parseDateTime reads it back as the zero
// time.
func (sqliteDialect) datetime(t time.Time) any {
	if t.IsZero() {
		t = sqlDateTimeMin
	}
	return t.UTC().Format(sqliteDateTime)
}

func (sqliteDialect) ident(name string) string { return `"` + name + `"` }

// identityTables is empty: SQLite has no IDENTITY columns, and an INTEGER
// PRIMARY KEY takes explicit values.
func (sqliteDialect) identityTables(context.Context, querier) (map[string]bool, error) {
	return nil, nil
}

func (sqliteDialect) top(list, rest string, n int) string {
	return fmt.Sprintf("SELECT %s %s LIMIT %d", list, rest, n)
}

func (sqliteDialect) columnsSQL() string { return `SELECT name FROM pragma_table_info(?)` }

// sqliteBatchRows is how many messages one INSERT statement carries; seven
// parameters each stays well below SQLite's limit of 32766.
const sqliteBatchRows = 100

func (sqliteDialect) insertMessages(ctx context.Context, q querier, _ []string, msgs []pchat.Message) error {
	ci := &chatInserter{q: q, sqlite: true}
	return errors.Join(ci.insert(ctx, msgs), ci.finish(ctx))
}

// SQLiteURI is the connection string the store opens an embedded database
// with (bench measures the raw driver with the same): a 10 s busy timeout,
// a 4 MB page cache and, for writers, synchronous=NORMAL. The cache is
// small on purpose: the embedded driver's allocator puts each 4 KiB page
// (and its header) in an 8 KiB slot outside the Go heap, so a 16 MB cache
// cost about 32 MB of resident memory per connection (the reconcile step of
// a 20,000-room pool: 70 MB outside the Go heap with 16 MB caches, 17 MB
// with 2 MB ones), while the import of that pool took the same CPU time
// with a 16, 4 or 2 MB cache.
func SQLiteURI(path string, readOnly bool) string {
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath()}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "cache_size(-4000)")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func openSQLite(ctx context.Context, cfg Config) (*Store, error) {
	path := cfg.SQLitePath()
	exists, err := sqliteFile(path, cfg.Create)
	if err != nil {
		return nil, err
	}
	if exists {
		if err := checkSQLiteHeader(path); err != nil {
			return nil, err
		}
	}
	if !exists {
		if err := createSQLite(ctx, path); err != nil {
			return nil, err
		}
	}
	db, err := openSQLiteDB(path, cfg.ReadOnly)
	if err != nil {
		return nil, err
	}
	return newStore(cfg, db, sqliteDialect{}), nil
}

func openSQLiteDB(path string, readOnly bool) (*sql.DB, error) {
	if readOnly {
		if err := recoverHotJournal(path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", SQLiteURI(path, readOnly))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection: SQLite has one writer, and a second connection inside
	// a streaming read would only wait for the first.
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		return nil, errors.Join(fmt.Errorf("open %s: %w", path, err), db.Close())
	}
	return db, nil
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// checkSQLiteHeader refuses a file that is not an SQLite database before
// the driver touches it.
func checkSQLiteHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	if err := errors.Join(err, f.Close()); err != nil || string(head) != sqliteHeader {
		return fmt.Errorf("open %s: %w: the file is not an SQLite database", path, ErrNotPersistentChat)
	}
	return nil
}

// createSQLite writes a new embedded database with the schema, the static
// rows, the system user and the root node, into a temporary file renamed
// into place only when complete.
func createSQLite(ctx context.Context, path string) error {
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("create %s: the folder %s does not exist", path, filepath.Dir(path))
	}
	tmp := path + ".creating"
	_ = os.Remove(tmp)
	db, err := sql.Open("sqlite", SQLiteURI(tmp, false))
	if err != nil {
		return err
	}
	err = initSchema(ctx, db)
	if err := errors.Join(err, db.Close()); err != nil {
		return errors.Join(fmt.Errorf("create %s: %w", path, err), removeIfExists(tmp))
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(fmt.Errorf("create %s: %w", path, err), removeIfExists(tmp))
	}
	return nil
}

// systemUserGUID is the fixed GUID pcmig gives the system user of a new
// embedded database.
const systemUserGUID = "00000000-0000-0000-0000-000000000001"

// rootNodeGUID is the fixed GUID of a new embedded database's root node.
const rootNodeGUID = "00000000-0000-0000-0000-000000000100"

func initSchema(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	run := func() error {
		for _, stmt := range append(append([]string{}, sqliteSchema...), sqliteStatic...) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("%w in %.60s", err, stmt)
			}
		}
		for _, r := range seedRoleTypes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO tblRoleType VALUES (?,?,?)`, r.id, r.desc, r.perm); err != nil {
				return err
			}
		}
		epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
		ticks := pchat.TicksFromTime(epoch)
		if _, err := tx.ExecContext(ctx, `INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisabled,
prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn) VALUES (1, ?, 'ma-sys:system', 'System', 0, 4, ?, ?, ?)`,
			systemUserGUID, ticks, ticks, epoch.Format(sqliteDateTime)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc,
invite, logged, filePost, disabled, behavior, visibility, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
VALUES (1, ?, 1, 1, 'Root', '', 0, 1, 1, 0, 4, 6, 1, ?, 1, ?)`, rootNodeGUID, ticks, ticks)
		return err
	}
	if err := run(); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// removeIfExists removes a file that may never have been written.
func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
