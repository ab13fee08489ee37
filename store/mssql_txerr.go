package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"
)

// SQL Server's errors for a statement that another session's locks
// stopped.
const (
	// errDeadlock (1205): the server chose this session's transaction as
	// the victim of a deadlock and rolled it back, whole ("Rerun the
	// transaction").
	errDeadlock = 1205
	// errLockTimeout (1222): a statement waited for a lock longer than the
	// session's LOCK_TIMEOUT (sessionLockTimeout). With XACT_ABORT ON
	// (sessionInitSQL) the transaction is rolled back.
	errLockTimeout = 1222
)

// deadlockAttempts is how many times a write transaction chosen as a
// deadlock victim is run in all before pcmig gives up.
const deadlockAttempts = 4

// ErrLockTimeout is wrapped by the error of a statement that waited longer
// than pcmig waits (a minute) for a lock another session held.
var ErrLockTimeout = errors.New("blocked by another session's lock")

// ErrDeadlock is wrapped by the error of a write transaction that was
// chosen as a deadlock victim each time it was run.
var ErrDeadlock = errors.New("deadlocked with another session")

// lockWaitError is a statement that another session's locks stopped: its
// tables (as the statement names them), the server's error, and for a
// write how many times it was run.
type lockWaitError struct {
	number   int32
	tables   []string
	write    bool
	attempts int
	err      error
}

func (e *lockWaitError) Unwrap() []error {
	if e.number == errDeadlock {
		return []error{ErrDeadlock, e.err}
	}
	return []error{ErrLockTimeout, e.err}
}

func (e *lockWaitError) Error() string {
	written := "nothing was written"
	if e.write {
		written = "the transaction was rolled back and nothing of it was written"
	}
	const again = "then run again (a resumed run continues where this one stopped)"
	if e.number == errDeadlock {
		over, times := "", "once"
		if len(e.tables) > 0 {
			over = " over " + orList(e.tables)
		}
		if e.attempts > 1 {
			times = fmt.Sprintf("%d times", e.attempts)
		}
		if e.write && e.attempts > 1 {
			written = "each attempt was rolled back and nothing of it was written"
		}
		return fmt.Sprintf("chosen as the deadlock victim %s (SQL Server error 1205) in a deadlock with another session%s: %s; "+
			"another session is writing to the same tables (a Persistent Chat server left running, a job): stop it, %s (%v)",
			times, over, written, again, e.err)
	}
	on := "a lock pcmig was waiting for"
	if len(e.tables) > 0 {
		on = "a lock on " + orList(e.tables)
	}
	return fmt.Sprintf("another session held %s for longer than pcmig waits (%d s, SQL Server error 1222: lock request time out): %s; "+
		"find the session that holds it (blocking_session_id in sys.dm_exec_requests) and let it finish or end it, %s (%v)",
		on, int(sessionLockTimeout/time.Second), written, again, e.err)
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// lockWaitNumber is 1205 or 1222 when err is that server error, else 0.
func lockWaitNumber(err error) int32 {
	var num sqlErrorNumber
	if err == nil || !errors.As(err, &num) {
		return 0
	}
	if n := num.SQLErrorNumber(); n == errDeadlock || n == errLockTimeout {
		return n
	}
	return 0
}

// tableName finds the mgc tables a statement names.
var tableName = regexp.MustCompile(`\btbl[A-Z][A-Za-z]*\b`)

// statementTables lists the mgc tables a statement names, in order, once.
func statementTables(query string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tableName.FindAllString(query, -1) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// lockWait returns err as a *lockWaitError when it is a deadlock or a lock
// timeout (naming the tables of the last statement q sent, when q is a SQL
// Server querier), and err itself otherwise.
func lockWait(q querier, err error, write bool) error {
	n := lockWaitNumber(err)
	var lw *lockWaitError
	if n == 0 || errors.As(err, &lw) {
		return err
	}
	lw = &lockWaitError{number: n, write: write, attempts: 1, err: err}
	if m, ok := q.(mssqlQuerier); ok && m.last != nil {
		lw.tables = statementTables(*m.last)
	}
	return lw
}

// txRetry runs fn in a write transaction (Store.tx) and runs it again, as
// a whole, when the server chose it as a deadlock victim: the server has
// rolled it back, and every write function recomputes what it writes from
// the database inside its transaction (chat IDs from the rooms' last chat
// IDs, new IDs from the highest in use, what exists from what the tables
// hold), so a second attempt writes what an uninterrupted one would have.
// After deadlockAttempts it gives up. Before each new attempt it waits a
// little longer (with jitter, so that the two sessions do not meet again)
// and checks the writer lock again. A lock timeout is not retried: the
// other session has held its lock for a minute already.
func (s *Store) txRetry(ctx context.Context, fn func(q querier) error) error {
	return s.txRetryIf(ctx, fn, nil)
}

// txRetryIf is txRetry for a transaction that can be run again only while
// rerun, when not nil, says so.
func (s *Store) txRetryIf(ctx context.Context, fn func(q querier) error, rerun func() bool) error {
	for attempt := 1; ; attempt++ {
		err := s.tx(ctx, fn)
		var lw *lockWaitError
		if !errors.As(err, &lw) || lw.number != errDeadlock || rerun != nil && !rerun() {
			return err
		}
		lw.attempts = attempt
		if attempt >= deadlockAttempts {
			return err
		}
		wait := time.Duration(50<<attempt)*time.Millisecond + rand.N(50*time.Millisecond)
		select {
		case <-ctx.Done(): // cancelled or timed out: said, so that pcmig reports it as such
			return fmt.Errorf("%w; not run again: %w", err, ctx.Err())
		case <-time.After(wait):
		}
		if lerr := s.checkWriterLock(ctx); lerr != nil {
			return errors.Join(err, lerr)
		}
	}
}
