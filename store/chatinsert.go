package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/pcmig/pcmig/pchat"
)

// chatInserter writes the tblChat rows of one write transaction, group
// after group (AppendRoomMessagesFrom appends a transaction's messages a
// group at a time). On SQL Server each group is one bulk copy. On SQLite
// rows go in statements of sqliteBatchRows rows: the full-size statement is
// the store's, prepared once (appendStmt), and the rows past a group's last
// full statement wait for the next group of the transaction; flush writes
// what is left, in one statement of its own, before the commit. A
// transaction of 10,000 messages (an archive part) in groups of about
// 5,000 prepared two statements of 700 parameters per group, the full one
// and the remainder's, 6% of the import's writing goroutine (CPU profile
// of 200,000 messages); now it prepares none.
type chatInserter struct {
	s       *Store // nil: no store's prepared statement (sqliteDialect.insertMessages)
	q       querier
	sqlite  bool
	full    *sql.Stmt       // the transaction's use of the full-size statement
	pending []pchat.Message // rows not yet written
	args    []any
}

// inserter returns the chat inserter of a write transaction on q; its
// finish must run before the transaction commits.
func (s *Store) inserter(q querier) *chatInserter {
	_, sqlite := s.dialect.(sqliteDialect)
	return &chatInserter{s: s, q: q, sqlite: sqlite}
}

// rows returns the buffer a group's rows are gathered in: the rows still
// pending from earlier groups, then room for n more.
func (ci *chatInserter) rows(n int) []pchat.Message {
	buf := make([]pchat.Message, len(ci.pending), len(ci.pending)+n)
	copy(buf, ci.pending)
	ci.pending = nil
	return buf
}

// insert writes msgs, which start with the rows rows returned pending.
func (ci *chatInserter) insert(ctx context.Context, msgs []pchat.Message) error {
	if !ci.sqlite {
		return ci.s.dialect.insertMessages(ctx, ci.q, ci.s.chatCols, msgs)
	}
	n := len(msgs) / sqliteBatchRows * sqliteBatchRows
	for k := 0; k < n; k += sqliteBatchRows {
		if ci.full == nil {
			var err error
			if ci.full, err = ci.s.fullInsert(ctx, ci.q); err != nil {
				return err
			}
		}
		if _, err := ci.full.ExecContext(ctx, ci.chatArgs(msgs[k:k+sqliteBatchRows])...); err != nil {
			return err
		}
	}
	ci.pending = msgs[n:] // for the next group, or finish
	return nil
}

// finish writes the rows still pending and closes the transaction's
// statement.
func (ci *chatInserter) finish(ctx context.Context) error {
	var err error
	if len(ci.pending) > 0 {
		_, err = ci.q.ExecContext(ctx, insertSQL(len(ci.pending)), ci.chatArgs(ci.pending)...)
		ci.pending = nil
	}
	if ci.full != nil {
		err = errors.Join(err, ci.full.Close())
		ci.full = nil
	}
	return err
}

// chatArgs are the parameters of msgs' rows, in insertSQL's order.
func (ci *chatInserter) chatArgs(msgs []pchat.Message) []any {
	ci.args = ci.args[:0]
	for _, m := range msgs {
		var rtf any
		if m.RTF != nil {
			rtf = *m.RTF
		}
		ci.args = append(ci.args, m.RoomID, m.ChatID, m.Date, m.UserID, bit(m.Alert), m.Content, rtf)
	}
	return ci.args
}

// appendStmt is an embedded store's full-size INSERT of tblChat rows,
// prepared on the database once and used by each write transaction
// (sql.Tx.StmtContext reuses it on the transaction's connection).
type appendStmt struct {
	mu   sync.Mutex
	stmt *sql.Stmt
}

// prepareAppend prepares the store's full-size INSERT, if it has none yet,
// outside any transaction: the embedded store has one connection, which a
// transaction holds. A failure leaves none, and the transaction prepares
// its own (fullInsert), which reports the error.
func (s *Store) prepareAppend(ctx context.Context) {
	if _, ok := s.dialect.(sqliteDialect); !ok || s.sim != nil || s.cfg.ReadOnly || s.held != nil {
		return
	}
	s.appendStmt.mu.Lock()
	have := s.appendStmt.stmt != nil
	s.appendStmt.mu.Unlock()
	if have {
		return
	}
	// Prepared without the lock: the preparation waits for the connection,
	// which a transaction of another goroutine may hold while it waits for
	// the lock in fullInsert.
	stmt, err := s.db.PrepareContext(ctx, insertSQL(sqliteBatchRows))
	if err != nil {
		return
	}
	s.appendStmt.mu.Lock()
	defer s.appendStmt.mu.Unlock()
	if s.appendStmt.stmt == nil {
		s.appendStmt.stmt = stmt
		return
	}
	_ = stmt.Close() // another goroutine prepared one first; this one was never used
}

// fullInsert is the full-size INSERT for the transaction of q: the
// store's prepared one when there is one, else one prepared in the
// transaction.
func (s *Store) fullInsert(ctx context.Context, q querier) (*sql.Stmt, error) {
	var stmt *sql.Stmt
	if s != nil {
		s.appendStmt.mu.Lock()
		stmt = s.appendStmt.stmt
		s.appendStmt.mu.Unlock()
	}
	if tx, ok := q.(*sql.Tx); ok && stmt != nil {
		return tx.StmtContext(ctx, stmt), nil
	}
	return q.PrepareContext(ctx, insertSQL(sqliteBatchRows))
}

// closeAppend closes the store's prepared INSERT.
func (s *Store) closeAppend() error {
	s.appendStmt.mu.Lock()
	defer s.appendStmt.mu.Unlock()
	var err error
	if s.appendStmt.stmt != nil {
		err = s.appendStmt.stmt.Close()
		s.appendStmt.stmt = nil
	}
	return err
}
