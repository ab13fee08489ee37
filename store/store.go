// Package store reads and writes Persistent Chat back-end databases (mgc)
// through the documented schema, on SQL Server (go-mssqldb) and on an
// embedded SQLite copy of the same schema (modernc.org/sqlite, no cgo).
//
// There is one SQL implementation over database/sql; a dialect supplies what
// differs (GUID conversion, paging, identity columns, bulk loads). Role type
// IDs and enum value IDs are never assumed: they are looked up by their
// descriptions when a database is opened.
//
// Errors never carry a password: every error passes through Config.Redact.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

// Store is an open Persistent Chat database.
type Store struct {
	cfg     Config
	db      *sql.DB
	dialect dialect
	pinned  *sql.Tx // shadow (simulated) stores run everything in one tx
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

	// liveCheckedAt is when the write guard last found no live server
	// (live.go).
	liveCheckedAt time.Time
	// reads counts the statements run outside a write (see Reads).
	reads atomic.Int64
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
	kind, err := cfg.Kind()
	if err != nil {
		return nil, cfg.redactErr(err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HeartbeatWindow == 0 {
		cfg.HeartbeatWindow = 10 * time.Minute
	}
	var s *Store
	switch kind {
	case "sqlite":
		s, err = openSQLite(ctx, cfg)
	default:
		s, err = openSQLServer(ctx, cfg)
	}
	if err != nil {
		return nil, cfg.redactErr(err)
	}
	if err := s.load(ctx); err != nil {
		return nil, errors.Join(s.wrap("open", err), s.Close())
	}
	return s, nil
}

func (s *Store) load(ctx context.Context) error {
	var err error
	if s.cat, err = readCatalog(ctx, s.q(), s.dialect); err != nil {
		return err
	}
	if err := s.cat.checkSchema(); err != nil {
		return err
	}
	if d, ok := s.dialect.(mssqlDialect); ok {
		d.cat = s.cat
		s.dialect = d
	}
	if s.roles, err = loadRoleTypes(ctx, s.q()); err != nil {
		return err
	}
	if s.enums, err = loadEnums(ctx, s.q()); err != nil {
		return err
	}
	if s.root, err = findRoot(ctx, s.q()); err != nil {
		return err
	}
	s.identity, err = s.dialect.identityTables(ctx, s.q())
	return err
}

// insertWithID runs an INSERT that sets table's ID column explicitly,
// wrapped for IDENTITY columns.
func (s *Store) insertWithID(ctx context.Context, q querier, table, insert string, args ...any) error {
	if s.identity[table] {
		insert = s.dialect.explicitID(table, insert)
	}
	_, err := q.ExecContext(ctx, insert, args...)
	return err
}

// Describe names the database without secrets.
func (s *Store) Describe() string { return s.cfg.Describe() }

// Dialect is "sqlite" or "sqlserver".
func (s *Store) Dialect() string { return s.dialect.name() }

// Roles are the role type IDs read from tblRoleType.
func (s *Store) Roles() RoleTypes { return s.roles }

// RootID is the root node's nodeID.
func (s *Store) RootID() int32 { return s.root }

// Reads returns how many statements the store ran outside a write since it
// was opened: what callers that cache a pool's objects count to prove they
// do not read the pool again per call.
func (s *Store) Reads() int64 { return s.reads.Load() }

// Close releases the database. A shadow store's changes are discarded.
func (s *Store) Close() error {
	var errs []error
	if s.pinned != nil {
		if err := s.pinned.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			errs = append(errs, err)
		}
		s.pinned = nil
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
		s.db = nil
	}
	if s.cleanup != nil {
		errs = append(errs, s.cleanup())
		s.cleanup = nil
	}
	return errors.Join(errs...)
}

func (s *Store) q() querier {
	s.reads.Add(1)
	if s.pinned != nil {
		return s.dialect.wrap(s.pinned)
	}
	return s.dialect.wrap(s.db)
}

// wrap adds context and strips secrets.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	msg := s.cfg.Redact(err.Error())
	if msg != err.Error() {
		return fmt.Errorf("%s %s: %s", op, s.Describe(), msg)
	}
	return fmt.Errorf("%s %s: %w", op, s.Describe(), err)
}

// tx runs fn in a transaction (or in the pinned shadow transaction).
func (s *Store) tx(ctx context.Context, fn func(q querier) error) error {
	if s.pinned != nil {
		return fn(s.dialect.wrap(s.pinned))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(s.dialect.wrap(tx)); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// write is the guard every write passes: read-only stores refuse, and live
// pools refuse unless forced. It bumps tblSystemRevision in the same
// transaction so that servers refresh their caches; a SQL Server shadow
// store does not, since its changes are never committed and the row is the
// one every server reads.
func (s *Store) write(ctx context.Context, op string, fn func(q querier) error) error {
	if s.cfg.ReadOnly {
		return fmt.Errorf("%s: %w", op, ErrReadOnly)
	}
	if err := s.checkLive(ctx); err != nil {
		return err
	}
	err := s.tx(ctx, func(q querier) error {
		if err := fn(q); err != nil || s.pinned != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `UPDATE tblSystemRevision SET sysRevision = sysRevision + 1`)
		return err
	})
	return s.wrap(op, err)
}

// fileExists reports whether path exists and is non-empty.
func fileExists(path string) (bool, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return st.Size() > 0, nil
}
