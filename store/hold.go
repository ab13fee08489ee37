package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A hold is one transaction on an embedded database that every read and
// write of the store joins until EndHold: each write transaction (tx)
// becomes a savepoint inside it, released where the transaction would
// have committed, and nothing is committed before EndHold commits the
// hold. An import writes under a hold while it is still reading its
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
// counts one commit, see Commits), else it is all rolled back. Without a
// hold it does nothing.
func (s *Store) EndHold(commit bool) error {
	h := s.held
	if h == nil {
		return nil
	}
	s.held = nil
	if !commit {
		if err := h.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			return s.wrap("roll back a hold on", err)
		}
		return nil
	}
	s.commits.Add(1)
	if err := h.tx.Commit(); err != nil {
		return s.wrap("commit a hold on", err)
	}
	return nil
}

// holdTx runs fn as a write transaction inside the hold: a savepoint,
// released when fn succeeds (the commit of that transaction, which
// counts no commit: see Commits), rolled back to when it fails.
func (s *Store) holdTx(ctx context.Context, fn func(q querier) error) error {
	h := s.held
	if _, err := h.tx.ExecContext(ctx, `SAVEPOINT pcmig_write`); err != nil {
		return err
	}
	err := fn(h.tx)
	if err == nil {
		err = ctx.Err() // cancelled after fn's last statement: not released
	}
	bg := context.WithoutCancel(ctx)
	if err != nil {
		_, rerr := h.tx.ExecContext(bg, `ROLLBACK TO pcmig_write`)
		if rerr == nil {
			_, rerr = h.tx.ExecContext(bg, `RELEASE pcmig_write`)
		}
		if rerr != nil {
			err = errors.Join(err, fmt.Errorf("roll back to the savepoint: %w", rerr))
		}
		return err
	}
	_, err = h.tx.ExecContext(bg, `RELEASE pcmig_write`)
	return err
}

// CanHold reports whether Hold may begin a hold on the store.
func (s *Store) CanHold() bool {
	_, ok := s.dialect.(sqliteDialect)
	return ok && s.sim == nil && !s.cfg.ReadOnly && s.noLock == nil && s.hist == s.db && s.held == nil
}
