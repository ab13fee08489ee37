package store_test

import (
	"bytes"
	"context"
	"database/sql/driver"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// blockedServer is a stand-in SQL Server (store.TSQLShim) whose reads of
// tblChat, once armed, fail with the error SQL Server gives when another
// session's locks stopped them (1222 after LOCK_TIMEOUT, 1205 for a
// deadlock victim).
type blockedServer struct {
	shim  *store.TSQLShim
	err   error
	armed atomic.Bool
}

func (b *blockedServer) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := b.shim.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &blockedConn{Conn: c, b: b}, nil
}
func (b *blockedServer) Driver() driver.Driver { return nil }

type blockedConn struct {
	driver.Conn
	b *blockedServer
}

func (c *blockedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.b.armed.Load() && strings.Contains(query, "tblChat") {
		return nil, c.b.err
	}
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *blockedConn) Prepare(query string) (driver.Stmt, error) {
	if c.b.armed.Load() && strings.Contains(query, "tblChat") {
		return nil, c.b.err
	}
	return c.Conn.Prepare(query)
}

func (c *blockedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *blockedConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

// TestLuaLockWaitIsConflict: a script whose read of a SQL Server pool (the
// export's read of the history, which a dry run reads in place) another
// session's locks stopped (a lock held past pcmig's LOCK_TIMEOUT,
// or a deadlock) gets the error kind conflict, as for another pcmig
// holding the writer lock - the pool is busy, nothing was written, run
// again later - not database, and the message says so.
func TestLuaLockWaitIsConflict(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		says []string
	}{
		{"lock timeout", mssql.Error{Number: 1222, State: 56, Class: 16, Message: "Lock request time out period exceeded."},
			[]string{"another session held a lock", "1222", "nothing was written", "run again"}},
		{"deadlock", mssql.Error{Number: 1205, State: 51, Class: 13,
			Message: "Transaction (Process ID 57) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction."},
			[]string{"deadlock victim", "1205", "nothing was written", "run again"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, shims := sqlServerLab(t, nil)
			est, err := estate.Load(context.Background(), filepath.Join(dir, lab.EstateFile))
			if err != nil {
				t.Fatal(err)
			}
			servers := map[string]*blockedServer{}
			for instance, shim := range shims {
				servers[instance] = &blockedServer{shim: shim, err: tt.err}
			}
			env := &bindings.Env{Estate: est, ToolVersion: "test", Now: func() time.Time { return time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC) },
				OpenStore: func(ctx context.Context, cfg store.Config) (*store.Store, error) {
					srv := servers[cfg.Instance]
					s, err := store.OpenConnector(ctx, cfg, srv)
					srv.armed.Store(true) // from now on another session holds tblChat
					return s, err
				}}
			defer env.Close()
			const script = `
local export = require("export")
local ok, err = pcall(export.run, "source")
if ok then error("export.run went through") end
print("KIND " .. tostring(err.kind))
print("MESSAGE " .. tostring(err.message))
`
			var out bytes.Buffer
			_, err = pcrt.Run(t.Context(), pcrt.Script{Name: "busy.lua", Source: []byte(script)}, pcrt.Options{
				Stdout: &out, Stderr: &out, DryRun: true, Modules: env.Modules(), Now: env.Now,
			})
			if err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "KIND conflict\n") {
				t.Errorf("the script did not see kind conflict:\n%s", out.String())
			}
			for _, want := range tt.says {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the error does not say %q:\n%s", want, out.String())
				}
			}
		})
	}
}
