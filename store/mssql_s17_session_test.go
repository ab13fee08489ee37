package store

import (
	"context"
	"strings"
	"testing"
)

// wantSessionOptions are the SET options every session pcmig uses must
// get before its first statement, and again after each reset: a server's
// `user options` (or a database default) must not change what a
// transaction does (docs/store.md, "Session options").
var wantSessionOptions = []string{
	"SET XACT_ABORT ON", "SET IMPLICIT_TRANSACTIONS OFF", "SET LOCK_TIMEOUT 60000",
	"SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET ANSI_WARNINGS ON",
}

func isSessionInit(c call) bool {
	if c.Op != "exec" {
		return false
	}
	for _, opt := range wantSessionOptions {
		if !strings.Contains(c.Query, opt) {
			return false
		}
	}
	return true
}

// TestSQLServerSessionOptionsOnEveryConnection: every connection to SQL
// Server gets pcmig's session options as its first statement, again after
// every session reset (the reuse of a pooled connection whose session a
// statement changed, which go-mssqldb turns into sp_reset_connection: the
// server puts the options back to the login's), and on the new connection
// the pool opens after one was dropped.
func TestSQLServerSessionOptionsOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	f := &fakeServer{rec: rec}
	rec.answer = f.answer
	conn := &faultConnector{inner: rec, log: &rec.callLog}
	s, err := OpenConnector(ctx, Config{Instance: "fake", ReadOnly: true}, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.LastChatIDs(ctx, []int32{6, 7}); err != nil {
		t.Fatal(err)
	}
	// A statement that changes the session's state: the session is reset
	// before its next use (sql25: only then).
	if _, err := s.db.ExecContext(ctx, identityInsert("tblNode", "INSERT INTO tblNode (nodeID) VALUES (1)")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LastChatIDs(ctx, []int32{6, 7}); err != nil {
		t.Fatal(err)
	}
	conn.dropConnections() // the network drops every connection
	if _, err := s.LastChatIDs(ctx, []int32{6, 7}); err != nil {
		t.Fatalf("a read after the connections dropped: %v", err)
	}
	calls := rec.Calls()
	connects, resets, statements := 0, 0, 0
	for i, c := range calls {
		switch c.Op {
		case "connect", "reset":
			if c.Op == "connect" {
				connects++
			} else {
				resets++
			}
			if i+1 >= len(calls) || !isSessionInit(calls[i+1]) {
				next := "nothing"
				if i+1 < len(calls) {
					next = calls[i+1].Op + " " + calls[i+1].Query
				}
				t.Errorf("call %d, %s, is followed by %s, not by the session options %q", i, c.Op, next, wantSessionOptions)
			}
		case "query", "exec", "prepare":
			if !isSessionInit(c) {
				statements++
			}
		}
	}
	if connects < 2 {
		t.Errorf("%d connections opened; want a second one after the first was dropped", connects)
	}
	if resets == 0 {
		t.Errorf("no session was reset in %d statements: the test does not show the options survive a reset", statements)
	}
	if len(calls) == 0 || calls[0].Op != "connect" {
		t.Fatalf("first call %v, want a connection", calls[:1])
	}
}
