package store_test

// Real-server test of a write cancelled while its bulk copy sends rows
// (store.sendBulk, Store.tx). Like the rest of mssql_conformance_test.go it
// runs only when PCMIG_TEST_MSSQL_DSN names a scratch database
// (test/mssql/run.sh); it has not been run on the machines pcmig is
// developed on.

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestCancelledBulkCopySQLServer: an append of 1,000 messages of 200
// characters cancelled after 300 rows were given to go-mssqldb's bulk copy
// (some 120 KB: several TDS packets of the bulk-load message are at the
// server) returns the cancellation within pcmig's transaction grace, writes
// nothing, and the same store's next append commits with chat IDs that
// follow the room's old ones: the connection the bulk copy used was left
// in a state the server and the pool could go on with.
func TestCancelledBulkCopySQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	user, _, room := addRoom(t, s, "c", "r", 10)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	conn, err := store.ConnString(store.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := mssql.NewConnector(conn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bc := &bulkCancelConnector{inner: inner, cancel: cancel}
	bc.after.Store(300)
	s, err = store.OpenConnector(context.Background(), store.Config{DSN: dsn}, bc)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	msgs := make([]pchat.Message, 1000)
	for i := range msgs {
		msgs[i] = pchat.Message{Date: 637000000000000000 + int64(i), UserID: user, Content: strings.Repeat("x", 200)}
	}
	start := time.Now()
	_, err = s.AppendMessages(ctx, room, msgs)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("append cancelled during its bulk copy: %v, want an error wrapping context.Canceled", err)
	}
	if took := time.Since(start); took > time.Minute {
		t.Errorf("the cancelled append returned after %v", took)
	}
	bc.after.Store(0)
	first, err := s.AppendMessages(context.Background(), room, msgs[:5])
	if err != nil {
		t.Fatalf("the next append on the same store: %v", err)
	}
	if first != 11 {
		t.Errorf("the next append's first chat ID is %d, want 11 (the cancelled one took none)", first)
	}
	var ids []int64
	if err := s.StreamMessages(context.Background(), store.MessageFilter{Rooms: []int32{room}}, func(m pchat.Message) error {
		ids = append(ids, m.ChatID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 15 || ids[0] != 1 || ids[14] != 15 {
		t.Errorf("the room holds chat IDs %v; want 1 to 15 (10 before, none of the cancelled append, 5 after)", ids)
	}
}

// bulkCancelConnector is go-mssqldb's connector whose bulk copies call
// cancel once they have been given `after` rows (0: never).
type bulkCancelConnector struct {
	inner  driver.Connector
	cancel context.CancelFunc
	after  atomic.Int64
}

func (c *bulkCancelConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &bulkCancelConn{Conn: conn, c: c}, nil
}

func (c *bulkCancelConnector) Driver() driver.Driver { return c.inner.Driver() }

// bulkCancelConn passes on what go-mssqldb's connection does (the store's
// session wrapper asks for each of these).
type bulkCancelConn struct {
	driver.Conn
	c *bulkCancelConnector
}

func (c *bulkCancelConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil || !strings.HasPrefix(query, "INSERTBULK ") {
		return st, err
	}
	return &bulkCancelStmt{Stmt: st, c: c.c}, nil
}

func (c *bulkCancelConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *bulkCancelConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *bulkCancelConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *bulkCancelConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

func (c *bulkCancelConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

// bulkCancelStmt is a bulk copy that counts its rows.
type bulkCancelStmt struct {
	driver.Stmt
	c    *bulkCancelConnector
	rows int64
}

func (s *bulkCancelStmt) Exec(args []driver.Value) (driver.Result, error) {
	res, err := s.Stmt.Exec(args) //nolint:staticcheck // go-mssqldb's copy-in statement has only Exec
	if len(args) > 0 {
		s.rows++
		if n := s.c.after.Load(); n > 0 && s.rows == n {
			s.c.cancel()
		}
	}
	return res, err
}
