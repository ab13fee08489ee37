package store_test

// Real-server tests (sql25). Like the rest of mssql_conformance_test.go
// they run only when PCMIG_TEST_MSSQL_DSN names a scratch database
// (test/mssql/run.sh); none has been run on the machines pcmig is
// developed on.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// TestSessionOptionsKeptAcrossReuseSQLServer: a pooled connection is
// reused without sp_reset_connection and without the options sent again
// when its statements left the session as pcmig set it (sql25), so the
// options must still be there on reuse; and a statement that changes them
// has the session reset and the options set again before the connection's
// next use.
func TestSessionOptionsKeptAcrossReuseSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	if err := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema).Close(); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check := func(when string) {
		t.Helper()
		for range 3 { // each a reuse of the pooled connection
			opts, lockTimeout, isolation, err := store.SessionOptions(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if opts&optXactAbort == 0 || opts&optImplicitTransactions != 0 || opts&optANSIWarnings == 0 ||
				lockTimeout != 60000 || isolation != 2 {
				t.Errorf("%s: @@OPTIONS %d, @@LOCK_TIMEOUT %d, isolation %d; want XACT_ABORT and ANSI_WARNINGS on, IMPLICIT_TRANSACTIONS off, 60000, 2",
					when, opts, lockTimeout, isolation)
			}
		}
	}
	check("reused")
	if err := store.ExecOnPool(ctx, s, "SET XACT_ABORT OFF; SET ANSI_WARNINGS OFF; SET LOCK_TIMEOUT 5; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"); err != nil {
		t.Fatal(err)
	}
	check("after a statement that changed the options")
}

// TestNodeGUIDsHoldLocksSQLServer: between pcmig's check that a new node's
// GUID is free and its insert, another session cannot insert a node with
// that GUID: its INSERT waits for pcmig's transaction (here it gives up
// after its own 2 s LOCK_TIMEOUT, error 1222). Without the check's UPDLOCK,
// HOLDLOCK the insert went through, and pcmig's own insert then failed on
// nodeGuid's UNIQUE key (sql25).
func TestNodeGUIDsHoldLocksSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	defer s.Close()
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer other.Close()
	const guid = "5ace0025-0000-4000-8000-000000000025"
	var insertErr error
	err = store.AfterNodeGUIDs(ctx, s, []string{guid}, func() error {
		_, insertErr = other.ExecContext(ctx, `SET LOCK_TIMEOUT 2000;
INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged, filePost, disabled,
  behavior, visibility, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
VALUES (900001, '`+guid+`', 1, 1, N'race', N'', 0, 1, 1, 0, 4, 6, 1, 0, 1, 0)`)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var num interface{ SQLErrorNumber() int32 }
	if !errors.As(insertErr, &num) || num.SQLErrorNumber() != 1222 {
		msg := "nil"
		if insertErr != nil {
			msg = cfg.Redact(insertErr.Error())
		}
		t.Errorf("another session's insert of a node with the GUID pcmig found free: %s; want it blocked (error 1222 after its 2 s lock timeout)", msg)
	}
}

// TestDoctorMessageFindingsSQLServer: the doctor's read of tblChat for
// messages dated outside the .NET DateTime range and for text with a
// UTF-16 surrogate without its pair (sql25) runs on a real server and
// finds exactly those: a lone high surrogate inside the text and a lone
// low one at its start are named, a surrogate pair (an emoji) is not.
func TestDoctorMessageFindingsSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	_, _, rid := addRoom(t, s, "c", "r", 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	for _, q := range []string{
		`UPDATE tblChat SET content = N'a' + CONVERT(nvarchar(1), 0x00D8) + N'b' WHERE channelId = @p1 AND chatId = 1`,
		`UPDATE tblChat SET content = N'x' + CONVERT(nvarchar(2), 0x3DD800DE), chatDate = -1 WHERE channelId = @p1 AND chatId = 2`,
		`UPDATE tblChat SET content = CONVERT(nvarchar(2), 0x00DC6100) WHERE channelId = @p1 AND chatId = 3`,
	} {
		if _, err := db.ExecContext(ctx, q, rid); err != nil {
			t.Fatal(cfg.Redact(err.Error()))
		}
	}
	r, err := store.Doctor(ctx, store.Config{DSN: dsn, ReadOnly: true}, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	var text, dates string
	for _, c := range r.Checks {
		switch {
		case c.Check == "text" && c.Status == store.DoctorFail:
			text = c.Message
		case c.Check == "tblChat" && strings.Contains(c.Message, "dated outside"):
			dates = c.Status + " " + c.Message
		}
	}
	if !strings.HasPrefix(text, "2 messages hold text with a UTF-16 surrogate that has no pair") ||
		!strings.Contains(text, "message 1: content") || !strings.Contains(text, "message 3: content") || strings.Contains(text, "message 2:") {
		t.Errorf("text line %q; want messages 1 and 3 named, not 2", text)
	}
	if !strings.HasPrefix(dates, "FAIL 1 message is dated outside") || !strings.Contains(dates, "message 2: chatDate -1") {
		t.Errorf("dates line %q; want message 2 named", dates)
	}
}
