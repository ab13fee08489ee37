package store

// A stand-in driver layer that sits between database/sql and another
// driver (the recorder, or the embedded SQLite driver) and makes a
// statement fail the way SQL Server fails it (error 1205, 1222), or the
// connection drop, and logs connections and session resets: what the
// deadlock, lock-timeout and session-option tests need.

import (
	"context"
	"database/sql/driver"
	"sync"
)

// faultConnector wraps a connector. fail is asked before every statement
// (prepare, exec, query) with its text and how many times a statement of
// that text was seen; a non-nil error is returned instead of running it.
type faultConnector struct {
	inner driver.Connector
	log   *callLog // optional: "connect" and "reset" are added to it

	mu    sync.Mutex
	fail  func(query string, seen int) error
	seen  map[string]int
	conns []*faultConn
}

func (f *faultConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := f.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if f.log != nil {
		f.log.add(call{Op: "connect"})
	}
	fc := &faultConn{f: f, inner: c}
	f.mu.Lock()
	f.conns = append(f.conns, fc)
	f.mu.Unlock()
	return fc, nil
}

func (f *faultConnector) Driver() driver.Driver { return f.inner.Driver() }

// dropConnections makes every connection open now fail its next statement
// with driver.ErrBadConn, as a connection the network dropped does.
func (f *faultConnector) dropConnections() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.dropped = true
	}
}

func (f *faultConnector) check(c *faultConn, query string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.dropped {
		return driver.ErrBadConn
	}
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	f.seen[query]++
	if f.fail == nil {
		return nil
	}
	return f.fail(query, f.seen[query])
}

type faultConn struct {
	f       *faultConnector
	inner   driver.Conn
	dropped bool
}

func (c *faultConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *faultConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.f.check(c, query); err != nil {
		return nil, err
	}
	if p, ok := c.inner.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.inner.Prepare(query)
}

func (c *faultConn) Close() error { return c.inner.Close() }

func (c *faultConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *faultConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.f.mu.Lock()
	dropped := c.dropped
	c.f.mu.Unlock()
	if dropped {
		return nil, driver.ErrBadConn
	}
	if b, ok := c.inner.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.inner.Begin() //nolint:staticcheck // the recorder has only Begin
}

func (c *faultConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.f.check(c, query); err != nil {
		return nil, err
	}
	e, ok := c.inner.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return e.ExecContext(ctx, query, args)
}

func (c *faultConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.f.check(c, query); err != nil {
		return nil, err
	}
	q, ok := c.inner.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return q.QueryContext(ctx, query, args)
}

func (c *faultConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.inner.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// ResetSession is what database/sql calls before it reuses a pooled
// connection; go-mssqldb then resets the session (sp_reset_connection) with
// the next request, which puts every SET option back to the login's.
func (c *faultConn) ResetSession(ctx context.Context) error {
	c.f.mu.Lock()
	dropped := c.dropped
	c.f.mu.Unlock()
	if dropped {
		return driver.ErrBadConn
	}
	if c.f.log != nil {
		c.f.log.add(call{Op: "reset"})
	}
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}
