package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/pchat"
)

// deadlockVictim is what go-mssqldb returns when the server chose the
// session's transaction as a deadlock victim and rolled it back.
var deadlockVictim = mssql.Error{Number: 1205, State: 51, Class: 13,
	Message: "Transaction (Process ID 57) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction."}

// lockTimedOut is what go-mssqldb returns when a statement waited longer
// than the session's LOCK_TIMEOUT for a lock another session holds.
var lockTimedOut = mssql.Error{Number: 1222, State: 56, Class: 16, Message: "Lock request time out period exceeded."}

// openFaultServer opens a SQL Server store on the fake server through a
// faultConnector whose fail function is given.
func openFaultServer(t *testing.T, f *fakeServer, fail func(string, int) error) (*Store, *recorder) {
	t.Helper()
	rec := &recorder{}
	f.rec, rec.answer = rec, f.answer
	db := sql.OpenDB(&faultConnector{inner: rec, fail: fail})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	s := newStore(Config{Instance: "fake", Now: time.Now, HeartbeatWindow: time.Minute}, db, mssqlDialect{})
	if err := s.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, rec
}

// chatRows are the rows bulk-copied into tblChat after the last rollback
// of calls: what the committed attempt wrote.
func chatRows(calls []call) [][]any {
	var rows [][]any
	for _, c := range calls {
		switch {
		case c.Op == "rollback":
			rows = nil
		case c.Op == "exec" && strings.HasPrefix(c.Query, "INSERTBULK ") && strings.Contains(c.Query, `"tblChat"`) && c.Args != nil:
			rows = append(rows, c.Args)
		}
	}
	return rows
}

func countOps(calls []call, op string) int {
	n := 0
	for _, c := range calls {
		if c.Op == op {
			n++
		}
	}
	return n
}

// TestSQLServerDeadlockVictimRetried: an append whose transaction the
// server chose as a deadlock victim (1205, after the bulk copy was sent)
// is run again as a whole, from the database's state: the committed
// attempt writes the rows an uninterrupted run writes, with the same chat
// IDs, and none twice.
func TestSQLServerDeadlockVictimRetried(t *testing.T) {
	ctx := context.Background()
	runs := func() []RoomMessages {
		return []RoomMessages{{Room: 7, Msgs: storeMsgs(3)}, {Room: 6, Msgs: storeMsgs(2)}, {Room: 7, Msgs: storeMsgs(1)}}
	}
	plain, plainRec := openFaultServer(t, &fakeServer{}, nil)
	wantFirsts, err := plain.AppendRoomMessages(ctx, runs())
	if err != nil {
		t.Fatal(err)
	}
	wantRows := chatRows(plainRec.Calls())

	s, rec := openFaultServer(t, &fakeServer{}, func(q string, seen int) error {
		if isLastChatIDWrite(q) && seen == 1 {
			return deadlockVictim
		}
		return nil
	})
	firsts, err := s.AppendRoomMessages(ctx, runs())
	if err != nil {
		t.Fatalf("append chosen once as a deadlock victim: %v", err)
	}
	if diff := cmp.Diff(wantFirsts, firsts); diff != "" {
		t.Errorf("first chat IDs mismatch (-uninterrupted +retried):\n%s", diff)
	}
	calls := rec.Calls()
	if diff := cmp.Diff(wantRows, chatRows(calls)); diff != "" {
		t.Errorf("rows of the committed attempt mismatch (-uninterrupted +retried):\n%s", diff)
	}
	seen := map[[2]int64]bool{}
	for _, r := range chatRows(calls) {
		k := [2]int64{r[0].(int64), r[1].(int64)}
		if seen[k] {
			t.Errorf("chat ID %v written twice", k)
		}
		seen[k] = true
	}
	if b, r, c := countOps(calls, "begin"), countOps(calls, "rollback"), countOps(calls, "commit"); b != 2 || r != 1 || c != 1 {
		t.Errorf("%d transactions begun, %d rolled back, %d committed; want 2, 1, 1", b, r, c)
	}
}

// TestSQLServerDeadlockRetriesAreBounded: a write that is the deadlock
// victim every time stops after a few attempts with an error that says so,
// that nothing of it was written, and that running again resumes.
func TestSQLServerDeadlockRetriesAreBounded(t *testing.T) {
	s, rec := openFaultServer(t, &fakeServer{}, func(q string, _ int) error {
		if isLastChatIDWrite(q) {
			return deadlockVictim
		}
		return nil
	})
	_, err := s.AppendMessages(context.Background(), 6, storeMsgs(2))
	if err == nil {
		t.Fatal("append that is always the deadlock victim succeeded")
	}
	calls := rec.Calls()
	attempts := countOps(calls, "begin")
	if attempts < 2 || attempts > 5 || countOps(calls, "commit") != 0 || countOps(calls, "rollback") != attempts {
		t.Errorf("%d attempts, %d commits, %d rollbacks; want 2 to 5 attempts, each rolled back", attempts, countOps(calls, "commit"), countOps(calls, "rollback"))
	}
	for _, want := range []string{"append 2 messages to room 6", "deadlock victim", fmt.Sprintf("%d times", attempts), "1205", "nothing of it was written", "run again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	var num interface{ SQLErrorNumber() int32 }
	if !errors.As(err, &num) || num.SQLErrorNumber() != 1205 {
		t.Errorf("error %v does not wrap the server's 1205", err)
	}
}

// TestSQLServerLockTimeoutNamesWhatBlocked: a write whose statement waited
// longer than LOCK_TIMEOUT (1222) is not retried; its error names the
// operation and the tables the statement was waiting for, and says that
// the transaction was rolled back and that running again resumes.
func TestSQLServerLockTimeoutNamesWhatBlocked(t *testing.T) {
	s, rec := openFaultServer(t, &fakeServer{}, func(q string, _ int) error {
		if strings.HasPrefix(q, "SELECT MAX(id) FROM (") { // the node ID allocation, under UPDLOCK
			return lockTimedOut
		}
		return nil
	})
	_, err := s.CreateCategory(context.Background(), pchat.Category{Name: "Sales"})
	if err == nil {
		t.Fatal("a write blocked past the lock timeout succeeded")
	}
	for _, want := range []string{"write 1 category", "tblNode", "tblChat", "tblLastChatId", "60 s", "1222", "rolled back", "nothing of it was written", "run again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	calls := rec.Calls()
	if b, r, c := countOps(calls, "begin"), countOps(calls, "rollback"), countOps(calls, "commit"); b != 1 || r != 1 || c != 0 {
		t.Errorf("%d transactions begun, %d rolled back, %d committed; want 1, 1, 0 (a lock timeout is not retried)", b, r, c)
	}
}

// openFaultEmbedded creates an embedded database and puts a faultConnector
// between the store and the SQLite driver.
func openFaultEmbedded(t *testing.T, fail func(string, int) error) *Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mgc.db")
	s, err := Open(ctx, Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	inner := dsnConnector{drv: s.db.Driver(), dsn: SQLiteURI(path, false)}
	db := sql.OpenDB(&faultConnector{inner: inner, fail: fail})
	db.SetMaxOpenConns(1)
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	s.db, s.hist = db, db
	return s
}

// dsnConnector opens connections of a driver by name.
type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

// isLastChatIDWrite reports whether a statement writes rooms' last chat
// IDs (one room at a time, or set-based).
func isLastChatIDWrite(q string) bool {
	return q == setLastChatIDsSQL || q == rebind(setLastChatIDSQL)
}

// retryScenario writes principals, an add-in, a category, a room and two
// batches of messages, and returns what the database then holds (random
// GUIDs left out).
func retryScenario(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	ids, created, err := s.EnsurePrincipals(ctx, []pchat.Principal{
		{GUID: "a1111111-2222-4333-8444-555555555555", URI: "sip:ann@contoso.com", Name: "Ann", Type: pchat.TypeUser},
		{URI: "sip:bob@contoso.com", Name: "Bob", Type: pchat.TypeUser},
		{URI: "sip:BOB@contoso.com", Name: "Bob again", Type: pchat.TypeUser},
	})
	if err != nil {
		t.Fatalf("EnsurePrincipals: %v", err)
	}
	addin, addinCreated, err := s.EnsureAddin(ctx, pchat.Addin{ID: "b1111111-2222-4333-8444-555555555555", Name: "Wiki", URL: "https://wiki.contoso.com"})
	if err != nil {
		t.Fatalf("EnsureAddin: %v", err)
	}
	cat, err := s.CreateCategory(ctx, pchat.Category{Name: "Sales", GUID: "c1111111-2222-4333-8444-555555555555", Creators: ids[:1]})
	if err != nil {
		t.Fatalf("CreateCategory: %v", err)
	}
	room, err := s.CreateRoom(ctx, pchat.Room{Name: "Deals", GUID: "d1111111-2222-4333-8444-555555555555", CategoryID: cat,
		Privacy: pchat.Open, Type: pchat.Normal, Members: ids[:2]})
	if err != nil {
		t.Fatalf("CreateRoom: %v", err)
	}
	var firsts []int64
	for _, n := range []int{3, 2} {
		msgs := storeMsgs(n)
		for i := range msgs {
			msgs[i].UserID = ids[i%2]
		}
		f, err := s.AppendRoomMessages(ctx, []RoomMessages{{Room: room, Msgs: msgs}})
		if err != nil {
			t.Fatalf("AppendRoomMessages: %v", err)
		}
		firsts = append(firsts, f...)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "principals %v (%d created); add-in %s (created %v); category %d, room %d; firsts %v\n", ids, created, addin, addinCreated, cat, room, firsts)
	prins, err := s.Principals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prins {
		fmt.Fprintf(&b, "principal %d %s %s\n", p.ID, p.URI, p.Name)
	}
	addins, err := s.Addins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addins {
		fmt.Fprintf(&b, "add-in %s %s %s\n", a.ID, a.Name, a.URL)
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rooms {
		fmt.Fprintf(&b, "room %d %s %s in %d, members %v\n", r.ID, r.GUID, r.Name, r.CategoryID, r.Members)
	}
	if err := s.StreamMessages(ctx, MessageFilter{}, func(m pchat.Message) error {
		fmt.Fprintf(&b, "message %d/%d by %d: %s\n", m.RoomID, m.ChatID, m.UserID, m.Content)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lasts, err := s.LastChatIDs(ctx, []int32{room})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "last chat IDs %v\n", lasts)
	return b.String()
}

// TestDeadlockVictimRetriedEqualsUninterruptedRun: every write of a small
// migration is made the deadlock victim once, at its insert, on a store
// that keeps its data (the embedded database behind a stand-in driver
// that fails the statement as SQL Server does): each is run again as a
// whole and the database ends exactly as after an uninterrupted run.
func TestDeadlockVictimRetriedEqualsUninterruptedRun(t *testing.T) {
	want := retryScenario(t, openFaultEmbedded(t, nil))
	victims := 0
	got := retryScenario(t, openFaultEmbedded(t, func(q string, seen int) error {
		for _, stmt := range []string{"INSERT INTO tblPrincipal ", "INSERT INTO tblSiopWhiteList ", "INSERT INTO tblNode ", "INSERT INTO tblPrincipalRole ", "INSERT INTO tblChat "} {
			if strings.HasPrefix(q, stmt) && seen == 1 {
				victims++
				return deadlockVictim
			}
		}
		return nil
	}))
	if victims < 5 {
		t.Errorf("%d statements were made deadlock victims; want one of each insert (5)", victims)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("database after deadlock victims mismatch (-uninterrupted +retried):\n%s", diff)
	}
}

// TestSQLServerDeadlockRetryRereadsPrincipals: a principal without a GUID
// is matched by its URI in every attempt. Between a deadlocked attempt and
// the next, the other session (an AD sync of a pool left running) added
// that URI: the retry finds it and adds nothing, as a run that started
// after it would, instead of matching by the GUID the first attempt made up
// and adding the URI a second time.
func TestSQLServerDeadlockRetryRereadsPrincipals(t *testing.T) {
	const keys = "SELECT prinID, CONVERT(nvarchar(36), prinGuid), prinUri FROM tblPrincipal WITH (UPDLOCK, HOLDLOCK) ORDER BY prinID"
	f := &fakeServer{prinMax: 7}
	reads := 0
	rec := &recorder{}
	f.rec = rec
	rec.answer = func(q string, args []driver.NamedValue) [][]driver.Value {
		if q == keys {
			reads++
			if reads > 1 { // written by the other session after the first attempt
				return [][]driver.Value{{int64(5), "e1111111-2222-4333-8444-555555555555", "sip:Bob@contoso.com"}}
			}
			return nil
		}
		return f.answer(q, args)
	}
	db := sql.OpenDB(&faultConnector{inner: rec, fail: func(q string, seen int) error {
		if strings.Contains(q, "INSERT INTO tblPrincipal ") && seen == 1 {
			return deadlockVictim
		}
		return nil
	}})
	db.SetMaxOpenConns(1)
	defer db.Close()
	s := newStore(Config{Instance: "fake", Now: time.Now, HeartbeatWindow: time.Minute}, db, mssqlDialect{})
	if err := s.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ids, created, err := s.EnsurePrincipals(context.Background(), []pchat.Principal{
		{GUID: "a1111111-2222-4333-8444-555555555555", URI: "sip:ann@contoso.com", Type: pchat.TypeUser},
		{URI: "sip:bob@contoso.com", Type: pchat.TypeUser},
	})
	if err != nil {
		t.Fatal(err)
	}
	if reads != 2 {
		t.Errorf("tblPrincipal's keys read %d times; want once per attempt (2)", reads)
	}
	if created != 1 || ids[1] != 5 {
		t.Errorf("EnsurePrincipals = %v, %d created; want bob matched to the principal 5 the other session added, 1 created", ids, created)
	}
}
