package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// sessionLockTimeout is how long a statement waits for a lock another
// session holds before SQL Server gives up with error 1222 (SET
// LOCK_TIMEOUT): without it a write blocked by another session's open
// transaction would wait until --timeout, or forever. A minute is far
// longer than any lock a stopped pool's database should see (statistics
// updates and log backups take none that pcmig waits for), and short
// enough for an administrator to hear, within a bounded time, which tables
// were blocked; the transaction is rolled back (XACT_ABORT) and a rerun
// resumes (lockWaitError).
const sessionLockTimeout = 60 * time.Second

// sessionInitSQL sets the options pcmig's statements and transactions rely
// on, whatever the server's `user options` or the login's defaults say. It
// is sent on every new connection. A session keeps SET options until
// something changes them, so a pooled connection is reused as it is: no
// sp_reset_connection (which puts every option back to the login's), and
// so no second round trip to set them again, unless one of its statements
// changed the session's state (changesSession); that connection is reset
// before its reuse and gets the options again:
//
//   - XACT_ABORT ON: any run-time error (a lock timeout, a constraint, a
//     conversion) rolls the whole transaction back and ends the batch, so
//     no later statement of a batch runs after a failed one and nothing of
//     a failed write stays, even if pcmig's own ROLLBACK never arrives.
//   - IMPLICIT_TRANSACTIONS OFF: a read outside a write transaction must
//     not open a transaction that holds its locks until the session ends.
//   - LOCK_TIMEOUT: sessionLockTimeout.
//   - READ COMMITTED: pcmig's writes take the locks they need with hints
//     (UPDLOCK, HOLDLOCK); a pooled session must not keep a stricter or a
//     looser isolation level from earlier use.
//   - ANSI_WARNINGS ON: a value too long for its column is an error, never
//     cut silently (SET ANSI_WARNINGS OFF truncates); with ANSI_NULLS,
//     ANSI_PADDING, ARITHABORT, CONCAT_NULL_YIELDS_NULL, QUOTED_IDENTIFIER
//     ON and NUMERIC_ROUNDABORT OFF, the settings SQL Server requires to
//     write to a table that has a filtered index or an indexed view.
//   - TEXTSIZE 2147483647: nvarchar(max) and varchar(max) values (message
//     text, RTF) are read whole.
//
// NOCOUNT is left as the server has it: pcmig never relies on a row count.
const sessionInitSQL = `SET XACT_ABORT ON; SET IMPLICIT_TRANSACTIONS OFF; SET LOCK_TIMEOUT 60000; ` +
	`SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET ANSI_WARNINGS ON; SET ANSI_NULLS ON; SET ANSI_PADDING ON; ` +
	`SET ARITHABORT ON; SET CONCAT_NULL_YIELDS_NULL ON; SET QUOTED_IDENTIFIER ON; SET NUMERIC_ROUNDABORT OFF; ` +
	`SET TEXTSIZE 2147483647`

// sessionConnector gives every connection of another connector pcmig's
// session options (sessionInitSQL) before its first statement and after
// every session reset. It does for any driver.Connector (go-mssqldb's, or
// a stand-in in tests) what go-mssqldb's Connector.SessionInitSQL does for
// its own, so that tests see it.
type sessionConnector struct {
	inner driver.Connector
	// idleCheck is Config.SessionIdleCheck, or DefaultSessionIdleCheck.
	idleCheck time.Duration
}

func (c sessionConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc := &sessionConn{inner: conn, idleCheck: c.idleCheck}
	if err := sc.init(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("set the session options: %w", err), conn.Close())
	}
	return sc, nil
}

func (c sessionConnector) Driver() driver.Driver { return c.inner.Driver() }

// sessionConn passes everything to the driver's connection, and sends the
// session options after a reset.
type sessionConn struct {
	inner driver.Conn
	// dirty: a statement may have changed the session's state
	// (changesSession), so the session is reset before the connection is
	// used again, and given the options again.
	dirty bool
	// used is when the connection last sent a statement.
	used time.Time
	// idleCheck is how long it may sit idle and be reused without a
	// request (sessionConnector.idleCheck).
	idleCheck time.Duration
}

// DefaultSessionIdleCheck is how long a connection may sit in the pool and
// still be reused without a request: one idle longer is reset and given
// the options again, a round trip that also finds a connection the server
// or the network dropped meanwhile (a killed session, a failover, a
// firewall's idle timeout) while database/sql can still take another one
// (driver.ErrBadConn), as every reuse did before. A busy pool, the case
// that matters, never waits this long.
const DefaultSessionIdleCheck = 10 * time.Second

// sessionStateSQL finds the T-SQL that leaves state in a session beyond
// its statement: SET options (SET name ON|OFF, a comma list of names
// SET a, b ON, SET STATISTICS IO|TIME|XML|PROFILE, SET TRANSACTION ISOLATION
// LEVEL, SET LOCK_TIMEOUT n, SET CONTEXT_INFO, IDENTITY_INSERT, ...),
// session application locks and context, impersonation, another database,
// temporary tables, global cursors and transactions opened in text. An
// UPDATE's "SET col = ?" does not match. A false match costs one round
// trip at the connection's next reuse, a missed one a session that keeps
// state into its next use, so the list errs on the side of matching.
var sessionStateSQL = regexp.MustCompile(`(?i)\bSET\s+(TRANSACTION|CONTEXT_INFO|IDENTITY_INSERT|LOCK_TIMEOUT|ROWCOUNT|TEXTSIZE|LANGUAGE|DATEFORMAT|DATEFIRST|DEADLOCK_PRIORITY|QUERY_GOVERNOR_COST_LIMIT|STATISTICS|[A-Z_]+(\s*,\s*[A-Z_]+)*\s+(ON|OFF)\b)` +
	`|\bsp_getapplock\b|\bsp_set_session_context\b|\bsp_setapprole\b|\bEXEC(UTE)?\s+AS\b|\bUSE\s+[\[A-Z_]` +
	`|\bCREATE\s+TABLE\s+#|\bINTO\s+#|\bCURSOR\b|\bBEGIN\s+(DISTRIBUTED\s+)?TRAN|\bOPEN\s+SYMMETRIC\s+KEY\b`)

// changesSession reports whether query may leave state in the session.
// The store's staging table (stageTable) does not count: every use drops
// a leftover one first, and drops its own after the rows are moved.
func changesSession(query string) bool {
	return sessionStateSQL.MatchString(strings.ReplaceAll(query, stageTable, "pcmig_stage"))
}

// saw marks the session dirty when query may change its state.
func (c *sessionConn) saw(query string) {
	c.used = time.Now()
	if !c.dirty && changesSession(query) {
		c.dirty = true
	}
}

// init sends sessionInitSQL. go-mssqldb's connection prepares and executes
// (it has no ExecContext of its own); a connection whose session is to be
// reset resets it with this request, before the options are set. Having no
// parameters (and a ';'), the text goes as a plain SQL batch (v1.11.2
// Stmt.sendQuery, isProc), not through sp_executesql, whose SET options
// would end with its scope.
func (c *sessionConn) init(ctx context.Context) (err error) {
	defer func() { c.dirty, c.used = err != nil, time.Now() }()
	if e, ok := c.inner.(driver.ExecerContext); ok {
		_, err := e.ExecContext(ctx, sessionInitSQL, nil)
		if !errors.Is(err, driver.ErrSkip) {
			return err
		}
	}
	stmt, err := c.prepare(ctx, sessionInitSQL)
	if err != nil {
		return err
	}
	defer stmt.Close()
	if e, ok := stmt.(driver.StmtExecContext); ok {
		_, err = e.ExecContext(ctx, nil)
		return err
	}
	_, err = stmt.Exec(nil) //nolint:staticcheck // a driver without StmtExecContext
	return err
}

// ResetSession is called by database/sql before it reuses a pooled
// connection. A session none of whose statements changed its state still
// has pcmig's options: unless it sat idle for idleCheck, it is used
// as it is, with no request at all (the driver's IsValid, which
// database/sql asks when the connection comes back to the pool, has
// already said whether it was still good then). Otherwise it
// lets the driver mark the session for reset, then sets the options again:
// go-mssqldb resets the session with the next request, which is this one.
// A connection whose options cannot be set is not used again
// (driver.ErrBadConn): database/sql takes another or opens a new one.
func (c *sessionConn) ResetSession(ctx context.Context) error {
	if !c.dirty && time.Since(c.used) < c.idleCheck {
		return nil
	}
	if r, ok := c.inner.(driver.SessionResetter); ok {
		if err := r.ResetSession(ctx); err != nil {
			return err
		}
	}
	if err := c.init(ctx); err != nil {
		return driver.ErrBadConn
	}
	return nil
}

func (c *sessionConn) Prepare(query string) (driver.Stmt, error) {
	c.saw(query)
	return c.inner.Prepare(query)
}
func (c *sessionConn) Close() error { return c.inner.Close() }
func (c *sessionConn) Begin() (driver.Tx, error) {
	return c.inner.Begin() //nolint:staticcheck // passed through
}

func (c *sessionConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.saw(query)
	return c.prepare(ctx, query)
}

func (c *sessionConn) prepare(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.inner.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.inner.Prepare(query)
}

func (c *sessionConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.used = time.Now()
	if opts.Isolation != 0 {
		c.dirty = true // the level outlasts the transaction
	}
	if b, ok := c.inner.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	if opts.ReadOnly || opts.Isolation != 0 {
		return nil, errors.New("store: the driver takes no transaction options")
	}
	return c.inner.Begin() //nolint:staticcheck // a driver without BeginTx
}

func (c *sessionConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.saw(query)
	if e, ok := c.inner.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *sessionConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.saw(query)
	if q, ok := c.inner.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *sessionConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.inner.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *sessionConn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *sessionConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}
