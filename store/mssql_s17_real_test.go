package store_test

// Real-server tests of pcmig's session options, lock timeout and deadlock
// retry (docs/store.md, "Session options, lock waits and deadlocks"). Like
// the rest of mssql_conformance_test.go they run only when
// PCMIG_TEST_MSSQL_DSN names a scratch database (test/mssql/run.sh); none
// has been run on the machines pcmig is developed on.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// @@OPTIONS bits (SQL Server's "user options").
const (
	optImplicitTransactions = 2
	optANSIWarnings         = 8
	optXactAbort            = 16384
)

// TestSessionOptionsSQLServer: pcmig's sessions run with XACT_ABORT ON,
// IMPLICIT_TRANSACTIONS OFF, ANSI_WARNINGS ON, LOCK_TIMEOUT 60000 and READ
// COMMITTED, also on a pooled connection after its reset, and (with
// PCMIG_TEST_MSSQL_SERVER_CONFIG=1) when the server's user options turn
// implicit transactions on for every session; a write then commits.
func TestSessionOptionsSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	if err := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema).Close(); err != nil {
		t.Fatal(err)
	}
	if os.Getenv(mssqlServerConfigVar) == "1" { // for the sessions logging in from now on
		setUserOptions(t, dsn, optImplicitTransactions)
	}
	s, err := store.Open(ctx, store.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts, lockTimeout, isolation, err := store.SessionOptions(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if opts&optXactAbort == 0 || opts&optImplicitTransactions != 0 || opts&optANSIWarnings == 0 {
		t.Errorf("@@OPTIONS = %d: want XACT_ABORT (16384) and ANSI_WARNINGS (8) on, IMPLICIT_TRANSACTIONS (2) off", opts)
	}
	if lockTimeout != 60000 || isolation != 2 {
		t.Errorf("@@LOCK_TIMEOUT = %d, isolation level %d; want 60000 and 2 (READ COMMITTED)", lockTimeout, isolation)
	}
	if _, err := s.CreateCategory(ctx, pchat.Category{Name: "committed"}); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, store.Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, ok, err := other.CategoryID(ctx, "committed"); err != nil || !ok {
		t.Errorf("another session does not see the category written: %v, %v", ok, err)
	}
}

// setUserOptions adds bits to the server's "user options" until the test
// ends.
func setUserOptions(t *testing.T, dsn string, bits int64) {
	t.Helper()
	ctx := context.Background()
	db, cfg := adminDB(t, dsn)
	t.Cleanup(func() { db.Close() })
	var old int64
	if err := db.QueryRowContext(ctx, `SELECT CONVERT(int, value_in_use) FROM sys.configurations WHERE name = 'user options'`).Scan(&old); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	set := func(v int64) error {
		_, err := db.ExecContext(ctx, fmt.Sprintf(`EXEC sp_configure 'user options', %d; RECONFIGURE;`, v))
		return err
	}
	if err := set(old | bits); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	t.Cleanup(func() {
		if err := set(old); err != nil {
			t.Errorf("restore user options %d: %v", old, err)
		}
	})
}

// TestLockTimeoutSQLServer: a write blocked by another session's lock on
// tblNode stops after LOCK_TIMEOUT (60 s) with ErrLockTimeout naming
// tblNode, writes nothing, and succeeds when run again once the lock is
// gone. It takes a minute.
func TestLockTimeoutSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	defer s.Close()
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	blocker, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer blocker.Close()
	if _, err := blocker.ExecContext(ctx, `BEGIN TRAN; SELECT COUNT(*) FROM tblNode WITH (TABLOCKX, HOLDLOCK)`); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	start := time.Now()
	_, err = s.CreateCategory(ctx, pchat.Category{Name: "blocked"})
	waited := time.Since(start)
	if _, rerr := blocker.ExecContext(ctx, `ROLLBACK`); rerr != nil {
		t.Fatal(cfg.Redact(rerr.Error()))
	}
	if !errors.Is(err, store.ErrLockTimeout) || !strings.Contains(err.Error(), "tblNode") || !strings.Contains(err.Error(), "nothing of it was written") {
		t.Fatalf("write blocked by a table lock on tblNode: %v, want ErrLockTimeout naming tblNode", err)
	}
	if waited < 55*time.Second || waited > 3*time.Minute {
		t.Errorf("the blocked write stopped after %v; want about 60 s", waited)
	}
	if _, ok, err := s.CategoryID(ctx, "blocked"); err != nil || ok {
		t.Errorf("the blocked write left its category: %v, %v", ok, err)
	}
	if _, err := s.CreateCategory(ctx, pchat.Category{Name: "blocked"}); err != nil {
		t.Errorf("the write run again once the lock was gone: %v", err)
	}
}

// TestDeadlockRetrySQLServer makes an append a deadlock victim: another
// session (DEADLOCK_PRIORITY HIGH) holds the room's tblChat rows while the
// append holds its tblLastChatId row and waits for them, then asks for that
// row. The server rolls the append back; pcmig runs it again, and the room
// ends with its messages once each, chat IDs dense. The server's deadlock
// counter must have moved, or the test proves nothing and says so.
func TestDeadlockRetrySQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	defer s.Close()
	user, _, room := addRoom(t, s, "c", "r", 10)
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	deadlocks := func() int64 {
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT cntr_value FROM sys.dm_os_performance_counters
WHERE counter_name = 'Number of Deadlocks/sec' AND instance_name = '_Total'`).Scan(&n); err != nil {
			t.Fatalf("read the deadlock counter (needs VIEW SERVER STATE): %s", cfg.Redact(err.Error()))
		}
		return n
	}
	before := deadlocks()
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `SET DEADLOCK_PRIORITY HIGH; BEGIN TRAN;
UPDATE tblChat SET isAlert = CASE WHEN isAlert = 1 THEN 0 ELSE 1 END WHERE channelId = @p1`, room); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.AppendMessages(ctx, room, storetest.Msgs(5, user))
		done <- err
	}()
	time.Sleep(2 * time.Second) // the append holds tblLastChatId and waits for tblChat
	var last sql.NullInt64
	err = other.QueryRowContext(ctx, `SELECT MAX(lastChatID) FROM tblLastChatId WITH (UPDLOCK, HOLDLOCK) WHERE nodeID = @p1`, room).Scan(&last)
	if _, rerr := other.ExecContext(ctx, `ROLLBACK`); rerr != nil {
		t.Fatal(cfg.Redact(rerr.Error()))
	}
	if err != nil {
		t.Fatalf("the other session's read: %s", cfg.Redact(err.Error()))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("append chosen as a deadlock victim: %v, want it run again and committed", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the append did not finish")
	}
	if after := deadlocks(); after <= before {
		t.Fatalf("no deadlock was recorded (counter %d, then %d): the test did not make one and proves nothing", before, after)
	}
	var ids []int64
	if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{room}}, func(m pchat.Message) error {
		ids = append(ids, m.ChatID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if id != int64(i+1) {
			t.Fatalf("chat IDs %v: want 1 to 15, each once", ids)
		}
	}
	if len(ids) != 15 {
		t.Errorf("%d messages in the room, want 15", len(ids))
	}
}
