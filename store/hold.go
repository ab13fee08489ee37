package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A hold is one transaction on an embedded database that every read and
// write of the store joins until EndHold: each write transaction (tx)
// runs inside it, and nothing is committed before EndHold commits the
// hold. A write that fails under the hold breaks it: what it wrote
// before it failed is not undone alone, so no write runs after it and
// the hold can only be rolled back (EndHold(true) rolls it back and says
// so). Its writes are not savepoints: a savepoint has SQLite copy every
// page a write changes that an earlier one wrote under the hold into a
// statement journal first, 12% of an import's CPU on 1,000,000 messages
// (BenchmarkImportPhases, -cpuprofile). An import writes under a hold while it is still reading its
// archive's messages, and commits only once that read confirms what it
// wrote (importer/overlap.go); rolled back, the database is as it was
// before the hold began.
//
// The embedded store has one connection (SetMaxOpenConns(1)), which the
// hold's transaction keeps: a read or write that went to the database
// itself while the hold is open would wait for that connection forever,
// so q, histQ, tx and prepareAppend all go through the hold. Only the
// goroutine that began the hold may use the store until it ends.
type hold struct {
	tx *sql.Tx
	// broken is the error of the write that failed under the hold (nil:
	// none did): the hold can only be rolled back.
	broken error
}

// ErrHoldUnsupported is returned by Hold on a store that cannot hold: SQL
// Server (a bulk copy inside one long transaction, its log, a deadlock
// victim losing all of it), a dry run, a read-only store.
var ErrHoldUnsupported = errors.New("store: a hold is for a writable embedded database")

// Hold begins a hold (see hold). The full-size message INSERT is
// prepared first, on the database: once the hold keeps the connection,
// each write transaction uses it through the hold's transaction.
func (s *Store) Hold(ctx context.Context) error {
	if !s.CanHold() {
		return ErrHoldUnsupported
	}
	s.prepareAppend(ctx)
	// Begun without ctx's cancellation: database/sql would roll the
	// transaction back from a goroutine of its own when ctx ends; EndHold
	// rolls it back itself.
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return s.wrap("begin a hold on", err)
	}
	s.held = &hold{tx: tx}
	return nil
}

// Holding reports whether a hold is open.
func (s *Store) Holding() bool { return s.held != nil }

// EndHold ends the hold: commit writes everything done under it (and
// counts one commit, see Commits), else it is all rolled back. A hold a
// failed write broke is rolled back either way, and a commit asked of it
// returns ErrHoldBroken. Without a hold it does nothing.
func (s *Store) EndHold(commit bool) error {
	h := s.held
	if h == nil {
		return nil
	}
	s.held = nil
	if !commit || h.broken != nil {
		if err := h.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			return s.wrap("roll back a hold on", err)
		}
		if commit {
			return fmt.Errorf("%w (%v): rolled back", ErrHoldBroken, h.broken)
		}
		return nil
	}
	s.commits.Add(1)
	if err := h.tx.Commit(); err != nil {
		return s.wrap("commit a hold on", err)
	}
	return nil
}

// ErrHoldBroken is what a write under a hold, and the hold's commit,
// return once a write under it failed.
var ErrHoldBroken = errors.New("store: a write under the hold failed, so the hold can only be rolled back")

// holdTx runs fn as a write transaction inside the hold. When fn fails
// (or ctx ends), the hold is broken (see hold).
func (s *Store) holdTx(ctx context.Context, fn func(q querier) error) error {
	h := s.held
	if h.broken != nil {
		return fmt.Errorf("%w (%v)", ErrHoldBroken, h.broken)
	}
	err := fn(h.tx)
	if err == nil {
		err = ctx.Err() // cancelled after fn's last statement
	}
	if err != nil {
		h.broken = err
	}
	return err
}

// CanHold reports whether Hold may begin a hold on the store.
func (s *Store) CanHold() bool {
	_, ok := s.dialect.(sqliteDialect)
	return ok && s.sim == nil && !s.cfg.ReadOnly && s.noLock == nil && s.hist == s.db && s.held == nil
}
