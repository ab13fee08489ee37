// Package store reads and writes Persistent Chat back-end databases (mgc)
// through the documented schema, on SQL Server (go-mssqldb) and on an
// embedded SQLite copy of the same schema (modernc.org/sqlite, no cgo).
//
// There is one SQL implementation over database/sql; a dialect supplies what
// differs (GUID conversion, paging, identity columns, set-based and bulk
// writes). Role type IDs and enum value IDs are never assumed: they are
// looked up by their descriptions when a database is opened.
//
// Structure (principals, nodes, roles, scopes) is written set-based: a
// Changes value is applied in one transaction with a handful of statements,
// whatever its size (docs/store.md). A dry run (Config.Shadow) never writes
// to the database: it simulates every write in a private embedded scratch
// copy of the structure and reads message history from the database itself.
//
// Errors never carry a password: every error passes through Config.Redact.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"
	"time"
)

// Store is an open Persistent Chat database.
type Store struct {
	cfg Config
	// db and dialect are where structure is read and written: the database
	// itself, or in a dry run the private scratch copy.
	db      *sql.DB
	dialect dialect
	// hist and histDialect are the database itself, where message history
	// and server heartbeats are read. They are db and dialect except in a
	// dry run, where nothing is ever written to hist.
	hist        *sql.DB
	histDialect dialect
	// sim is the state of a dry run (nil otherwise).
	sim     *simulation
	cleanup func() error
	roles   RoleTypes
	enums   enumIDs
	root    int32
	// identity holds the tables whose store-assigned ID column is an
	// IDENTITY (SQL Server), found once when the store opens.
	identity map[string]bool
	// cat is the database's catalogue (names, types, collations,
	// triggers), read once when the store opens.
	cat *catalog
	// optional holds the optional tables the database has.
	optional map[string]bool
	// chatCols are tblChat's column names as the catalogue spells them, in
	// chatColumns order: bulk copy matches names case-sensitively.
	chatCols []string
	// appendStmt is the embedded store's prepared INSERT of messages
	// (chatinsert.go).
	appendStmt appendStmt

	// liveCheckedAt is when the write guard last found no live server
	// (live.go).
	liveCheckedAt time.Time
	// reads counts the statements run outside a write (see Reads).
	reads atomic.Int64
	// commits counts the write transactions that reached their commit
	// (see Commits).
	commits atomic.Int64
	// unlock releases the writer lock (writelock.go), if the store took it.
	unlock func() error
	// lockConn is the connection whose session holds a SQL Server writer
	// lock, checked before each write (checkWriterLock); lockLost is the
	// refusal of every write once that lock was found lost.
	lockConn *sql.Conn
	lockLost error
	// fileLockHeld says whether an embedded database's writer lock file
	// is still the one locked, checked before each write (checkFileLock).
	fileLockHeld func() error
	// noLock is why a store opened with Config.OptionalLock took no
	// writer lock and is read-only (Unlocked).
	noLock *LockFolderError
	// held is the open hold, if any (hold.go): every read and write
	// goes through its transaction.
	held *hold
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// ErrNotPersistentChat is wrapped by the error Open returns for a database
// that lacks the documented tables or columns.
var ErrNotPersistentChat = errors.New("not a Persistent Chat database")

// ErrReadOnly is returned by writes on a read-only store.
var ErrReadOnly = errors.New("store opened read-only")

// ErrLivePool is wrapped by the error a write returns while Persistent Chat
// servers heartbeat and Config.Force is not set.
var ErrLivePool = errors.New("Persistent Chat servers are active")

// Open opens (and, with cfg.Create, creates) a Persistent Chat database and
// checks that it follows the documented schema.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	return open(ctx, cfg, nil)
}

// OpenConnector is Open for a SQL Server reached through conn instead of
// go-mssqldb's own connector: tests use it to put a recording driver in
// the server's place. cfg must describe a SQL Server database.
func OpenConnector(ctx context.Context, cfg Config, conn driver.Connector) (*Store, error) {
	if conn == nil {
		return nil, errors.New("store: OpenConnector needs a connector")
	}
	return open(ctx, cfg, conn)
}

func open(ctx context.Context, cfg Config, conn driver.Connector) (*Store, error) {
	kind, err := cfg.Kind()
	if err != nil {
		return nil, cfg.redactErr(err)
	}
	if conn != nil && kind != "sqlserver" {
		return nil, fmt.Errorf("store: a connector stands in for SQL Server, and %s is not one", cfg.Describe())
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HeartbeatWindow == 0 {
		cfg.HeartbeatWindow = 10 * time.Minute
	}
	if kind == "sqlite" && !cfg.writer() {
		if err := waitUnlocked(ctx, cfg.checkNoWriter); err != nil {
			return nil, err
		}
	}
	if cfg.Shadow {
		s, err := openDryRun(ctx, cfg, kind, conn)
		if err != nil {
			return nil, cfg.redactErr(err)
		}
		return s, nil
	}
	var release, held func() error
	err = waitUnlocked(ctx, func() (err error) {
		release, held, err = lockEmbedded(ctx, kind, cfg)
		return err
	})
	var noLock *LockFolderError
	if err != nil && cfg.OptionalLock && errors.As(err, &noLock) {
		cfg.ReadOnly, err = true, nil // nothing can be written there: read it
		release = func() error { return nil }
	}
	if err != nil {
		return nil, cfg.redactErr(err)
	}
	var s *Store
	switch kind {
	case "sqlite":
		s, err = openSQLite(ctx, cfg)
	default:
		s, err = openSQLServer(ctx, cfg, conn)
	}
	if err != nil {
		return nil, errors.Join(cfg.redactErr(err), release())
	}
	s.unlock, s.noLock, s.fileLockHeld = release, noLock, held
	if err := waitUnlocked(ctx, func() error { return s.lockServer(ctx) }); err != nil {
		return nil, errors.Join(cfg.redactErr(err), s.Close())
	}
	if err := s.load(ctx); err != nil {
		return nil, errors.Join(s.wrap("open", err), s.Close())
	}
	return s, nil
}

// newStore is a store on one database (no dry run).
func newStore(cfg Config, db *sql.DB, d dialect) *Store {
	return &Store{cfg: cfg, db: db, dialect: d, hist: db, histDialect: d}
}

func (s *Store) load(ctx context.Context) error {
	q := s.q()
	var err error
	if s.cat, err = readCatalog(ctx, q, s.dialect); err != nil {
		return err
	}
	if err := s.cat.checkSchema(); err != nil {
		return err
	}
	if d, ok := s.dialect.(mssqlDialect); ok {
		d.cat = s.cat
		s.dialect = d
	}
	if s.roles, err = loadRoleTypes(ctx, q); err != nil {
		return err
	}
	if s.enums, err = loadEnums(ctx, q); err != nil {
		return err
	}
	if s.root, err = findRoot(ctx, q); err != nil {
		return err
	}
	if s.identity, err = s.dialect.identityTables(ctx, q); err != nil {
		return err
	}
	s.optional = map[string]bool{}
	for _, t := range append([]string{"tblPrincipalInvites"}, optionalTables...) {
		s.optional[t] = s.cat.hasTable(t)
	}
	if s.dialect.name() == "sqlite" {
		if s.optional["sqlite_sequence"], err = hasTable(ctx, q, s.dialect, "sqlite_sequence"); err != nil {
			return fmt.Errorf("read sqlite_sequence: %w", err)
		}
	}
	s.chatCols = make([]string, len(chatColumns))
	for i, c := range chatColumns {
		s.chatCols[i] = s.cat.columnName("tblChat", c)
	}
	return nil
}

// Unlocked is "" for a store that holds its writer lock or was opened
// read-only; for one that Config.OptionalLock opened without the lock (its
// folder cannot be written), a line saying so: it only reads.
func (s *Store) Unlocked() string {
	if s.noLock == nil {
		return ""
	}
	return s.noLock.unlocked()
}

// Describe names the database without secrets.
func (s *Store) Describe() string { return s.cfg.Describe() }

// Dialect is "sqlite" or "sqlserver": the database's own, also in a dry
// run.
func (s *Store) Dialect() string { return s.histDialect.name() }

// DryRun reports whether the store simulates its writes (Config.Shadow).
func (s *Store) DryRun() bool { return s.sim != nil }

// Roles are the role type IDs read from tblRoleType.
func (s *Store) Roles() RoleTypes { return s.roles }

// RootID is the root node's nodeID.
func (s *Store) RootID() int32 { return s.root }

// Reads returns how many statements the store ran outside a write since it
// was opened: what callers that cache a pool's objects count to prove they
// do not read the pool again per call.
func (s *Store) Reads() int64 { return s.reads.Load() }

// Commits returns how many write transactions reached their commit since
// the store was opened, whether the commit succeeded or not (a commit that
// fails may still have been applied): a caller whose count did not move
// across a failed step knows the step wrote nothing. Under a hold
// (hold.go) a write transaction commits nothing: the hold's own commit
// counts one.
func (s *Store) Commits() int64 { return s.commits.Load() }

// Close releases the database. A dry run's scratch copy is removed.
func (s *Store) Close() error {
	errs := []error{s.EndHold(false), s.closeAppend()}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.hist != nil && s.hist != s.db {
		errs = append(errs, s.hist.Close())
	}
	s.db, s.hist = nil, nil
	if s.cleanup != nil {
		errs = append(errs, s.cleanup())
		s.cleanup = nil
	}
	if s.unlock != nil { // last: the lock outlives every write
		errs = append(errs, s.unlock())
		s.unlock, s.lockConn = nil, nil
	}
	return errors.Join(errs...)
}

// q is where structure is read: the database, or a dry run's scratch copy.
func (s *Store) q() querier {
	s.reads.Add(1)
	if s.held != nil {
		return s.dialect.wrap(s.held.tx)
	}
	return s.dialect.wrap(s.db)
}

// histQ is the database itself, read-only in a dry run: message history
// and heartbeats are read here.
func (s *Store) histQ() querier {
	s.reads.Add(1)
	if s.held != nil { // Hold refuses a store whose hist is not db
		return s.histDialect.wrap(s.held.tx)
	}
	return s.histDialect.wrap(s.hist)
}

// wrap adds context and strips secrets.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	err = lockWait(nil, err, false) // a read that another session's lock stopped
	msg := withoutValues(s.cfg.Redact(err.Error()))
	if msg != err.Error() {
		return fmt.Errorf("%s %s: %s", op, s.Describe(), msg)
	}
	return fmt.Errorf("%s %s: %w", op, s.Describe(), err)
}

// txGrace is how long a write transaction outlives the cancellation of
// the context it runs under (Store.tx).
const txGrace = 30 * time.Second

// tx runs fn in a transaction on the structure database. fn's statements
// get ctx and stop when it is cancelled, but the transaction itself is
// begun with a context that the cancellation ends only txGrace later:
// database/sql rolls a transaction back, from a goroutine of its own, as
// soon as the transaction's context ends and no statement is running, and
// on SQL Server that could be between two rows of a bulk copy, after a
// bulk-load message that only the bulk copy's end completes
// (insertMessages). tx rolls a cancelled transaction back itself, and
// never commits one (a cancellation after fn's last statement too); the
// grace bounds a rollback or commit that a server no longer answers.
func (s *Store) tx(ctx context.Context, fn func(q querier) error) error {
	if s.held != nil {
		return s.holdTx(ctx, fn)
	}
	txCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	stopAfterGrace := context.AfterFunc(ctx, func() {
		t := time.NewTimer(txGrace)
		defer t.Stop()
		select {
		case <-t.C:
			stop()
		case <-txCtx.Done():
		}
	})
	defer stopAfterGrace()
	tx, err := s.db.BeginTx(txCtx, nil)
	if err != nil {
		return err
	}
	q := s.dialect.wrap(tx)
	err = fn(q)
	if err == nil {
		err = ctx.Err() // cancelled after fn's last statement: not committed
	}
	if err != nil {
		if rerr := tx.Rollback(); !errors.Is(rerr, sql.ErrTxDone) {
			err = errors.Join(err, rerr)
		}
		return lockWait(q, err, true)
	}
	s.commits.Add(1)
	return tx.Commit()
}

// write is the guard every write passes: read-only stores refuse, and live
// pools refuse unless forced (in a dry run too: the check reads the real
// database, and the dry run stops where the real run would). It bumps
// tblSystemRevision in the same transaction so that servers refresh their
// caches.
func (s *Store) write(ctx context.Context, op string, fn func(q querier) error) error {
	return s.writeTx(ctx, op, s.txRetry, fn)
}

// writeIf is write for a transaction that can be run again (a deadlock
// victim) only while rerun says so.
func (s *Store) writeIf(ctx context.Context, op string, rerun func() bool, fn func(q querier) error) error {
	return s.writeTx(ctx, op, func(ctx context.Context, fn func(querier) error) error { return s.txRetryIf(ctx, fn, rerun) }, fn)
}

func (s *Store) writeTx(ctx context.Context, op string, run func(context.Context, func(querier) error) error, fn func(q querier) error) error {
	if s.noLock != nil {
		return s.noLock.refusal(op)
	}
	if s.cfg.ReadOnly {
		return fmt.Errorf("%s: %w", op, ErrReadOnly)
	}
	if err := s.checkWriterLock(ctx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := s.checkFileLock(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := s.checkLive(ctx); err != nil {
		if s.sim != nil && errors.Is(err, ErrLivePool) {
			return fmt.Errorf("%w (a dry run writes nothing, and stops where the real run would: pass --force to see the rest of the plan)", err)
		}
		return err
	}
	err := run(ctx, func(q querier) error { // with txRetry, a deadlock victim is run again
		if err := fn(q); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `UPDATE tblSystemRevision SET sysRevision = sysRevision + 1`)
		return err
	})
	return s.wrap(op, err)
}

// missingFile is the error of an embedded database whose file does not
// exist: it is an fs.ErrNotExist, so that scripts get the io kind the
// docs give a missing file.
type missingFile struct{ path string }

func (e *missingFile) Error() string {
	return fmt.Sprintf("open %s: no such Persistent Chat database file", e.path)
}

func (e *missingFile) Unwrap() error { return fs.ErrNotExist }

// sqliteFile checks the file of an embedded database before it is opened:
// exists is false when there is none, or an empty one, and create allows
// writing a new database there. Otherwise a missing file, an empty one and
// a folder are refused, each saying which (an empty file is not "no such
// file"); the errors never quote the file.
func sqliteFile(path string, create bool) (exists bool, err error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if create {
			return false, nil
		}
		return false, &missingFile{path}
	case err != nil:
		return false, fmt.Errorf("open %s: %w", path, err)
	case st.IsDir():
		return false, fmt.Errorf("open %s: %w: it is a folder, not a database file", path, ErrNotPersistentChat)
	case st.Size() == 0 && create:
		return false, nil
	case st.Size() == 0:
		return false, fmt.Errorf("open %s: %w: the file is empty (0 bytes)", path, ErrNotPersistentChat)
	}
	return true, nil
}
