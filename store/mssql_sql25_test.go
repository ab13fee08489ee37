package store

// SQL Server path (sql25), on the recording driver.

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/pchat"
)

// TestSQLServerNodeGUIDReadLockedForTheWrite: a new category or room keeps
// the GUID it asks for when no node has it. The check read tblNode without
// locks, so under READ COMMITTED another session (a second pcmig, New-CsPersistentChatRoom)
// could insert a node with that GUID between pcmig's read and its insert:
// the insert then failed on the nodeGuid key (a duplicate-key error in the
// middle of an import) instead of taking a new GUID. The read now takes
// update range locks held to the end of the write, as the node ID, principal
// and add-in reads do, inside the write's transaction.
func TestSQLServerNodeGUIDReadLockedForTheWrite(t *testing.T) {
	s, rec := openServer(t, &fakeServer{nodeMax: 41})
	var ch Changes
	cat := ch.Category(pchat.Category{Name: "c", GUID: "11111111-2222-4333-8444-555555555555"})
	ch.Room(pchat.Room{Name: "r", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal, GUID: "21111111-2222-4333-8444-555555555555"})
	if _, err := s.Apply(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	inTx, reads := false, 0
	for _, c := range rec.Calls() {
		switch c.Op {
		case "begin":
			inTx = true
		case "commit", "rollback":
			inTx = false
		}
		if !strings.Contains(c.Query, "WHERE nodeGuid IN (") {
			continue
		}
		reads++
		if !inTx {
			t.Errorf("the node GUIDs are read outside the write's transaction:\n%s", c.Query)
		}
		if !strings.Contains(c.Query, "FROM tblNode WITH (UPDLOCK, HOLDLOCK) WHERE nodeGuid IN (") {
			t.Errorf("the node GUIDs are read without locks held to the end of the write:\n%s", c.Query)
		}
	}
	if reads != 1 {
		t.Errorf("node GUIDs read %d times; want once", reads)
	}
}

// TestConnStringKeysAreTheDriversKeys: the URL pcmig builds from an
// instance and its options holds only keys go-mssqldb reads, so the check
// that refuses a DSN's unknown keys (driverKeys) would pass it.
func TestConnStringKeysAreTheDriversKeys(t *testing.T) {
	pem := filepath.Join(t.TempDir(), "c.pem")
	if err := os.WriteFile(pem, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []Config{
		{Instance: `sql19\rtc,1433`, User: "pcmig", Password: "pw1", Encrypt: "strict", ServerCertificate: pem, AppName: "a"},
		{Instance: "sql19", Certificate: pem, HostInCert: "h"},
		{Instance: "sql19", TrustCert: true},
		{Instance: "sql19", Auth: "kerberos", ServerSPN: "MSSQLSvc/sql19:1433", Krb5Config: "/k.conf", Krb5CCache: "FILE:/tmp/cc"},
		{Instance: "sql19", Auth: "ntlm", User: `CONTOSO\pc`, Password: "pw1"},
		{DSN: "sqlserver://h?encrypt=disable"},
	} {
		s, err := ConnString(cfg)
		if err != nil {
			t.Errorf("ConnString(%s): %v", cfg.Describe(), err)
			continue
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		for k := range u.Query() {
			if !driverKeys[strings.ToLower(k)] {
				t.Errorf("ConnString(%s) has key %q, which go-mssqldb does not read", cfg.Describe(), k)
			}
		}
	}
}

// sessionTranscript is what the pool sent from call `from` on: "connect",
// "reset" (the driver marked the session for sp_reset_connection),
// "options" (sessionInitSQL), or the first words of a statement.
func sessionTranscript(calls []call, from int) []string {
	var out []string
	for _, c := range calls[from:] {
		switch {
		case c.Op == "connect" || c.Op == "reset" || c.Op == "begin" || c.Op == "commit":
			out = append(out, c.Op)
		case isSessionInit(c):
			out = append(out, "options")
		case c.Op == "query" || c.Op == "exec" || c.Op == "prepare":
			q := strings.Join(strings.Fields(c.Query), " ")
			out = append(out, c.Op+" "+q[:min(len(q), 40)])
		}
	}
	return out
}

// TestSQLServerSessionOptionsOncePerSession (golden): a pooled connection
// whose statements left the session as pcmig set it is reused without a
// reset and without the options again. Before, every reuse marked the
// session for sp_reset_connection and sent the options again: one more
// round trip per statement run on the pool (outside a transaction), for a
// session whose options had not changed. A statement that changes the
// session's state (here SET IDENTITY_INSERT, as schema creation sends) has
// the session reset and the options sent again before its next use.
func TestSQLServerSessionOptionsOncePerSession(t *testing.T) {
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
	if got := sessionTranscript(rec.Calls(), 0); len(got) < 2 || got[0] != "connect" || got[1] != "options" {
		t.Fatalf("the first connection: %q, want connect, options, ...", got)
	}
	from := len(rec.Calls())
	for range 3 {
		if _, err := s.LastChatIDs(ctx, []int32{6, 7}); err != nil {
			t.Fatal(err)
		}
	}
	// LastChatIDs reads tblLastChatId, then tblChat.
	last, chat := "query SELECT nodeID, MAX(lastChatID) FROM tblL", "query SELECT v.id, (SELECT MAX(chatId) FROM tb"
	want := []string{last, chat, last, chat, last, chat}
	if diff := cmp.Diff(want, sessionTranscript(rec.Calls(), from)); diff != "" {
		t.Errorf("three reads on the pool sent (-want +got):\n%s", diff)
	}
	from = len(rec.Calls())
	if _, err := s.db.ExecContext(ctx, identityInsert("tblNode", "INSERT INTO tblNode (nodeID) VALUES (1)")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.LastChatIDs(ctx, []int32{6, 7}); err != nil {
			t.Fatal(err)
		}
	}
	want = []string{"exec SET IDENTITY_INSERT [tblNode] ON; INSERT", "reset", "options", last, chat, last, chat}
	if diff := cmp.Diff(want, sessionTranscript(rec.Calls(), from)); diff != "" {
		t.Errorf("a statement that changes the session, then two reads (-want +got):\n%s", diff)
	}
}

// TestChangesSession: what counts as leaving state in a session.
func TestChangesSession(t *testing.T) {
	for q, want := range map[string]bool{
		"UPDATE tblNode SET nodeName = @p1, invite = @p2 WHERE nodeID = @p3":                                                false,
		"SELECT nodeID FROM tblNode WITH (UPDLOCK, HOLDLOCK) WHERE nodeGuid IN (@p1)":                                       false,
		"IF OBJECT_ID('tempdb..#pcmig_stage') IS NOT NULL DROP TABLE #pcmig_stage;\nCREATE TABLE #pcmig_stage (a int NULL)": false,
		"DECLARE @pcmig_ids TABLE (id int); INSERT INTO tblNode (a) OUTPUT INSERTED.nodeID INTO @pcmig_ids SELECT 1":        false,
		sessionInitSQL:   true,
		applockSQL:       true,
		"set nocount on": true,
		"SET TRANSACTION ISOLATION LEVEL SNAPSHOT": true,
		"SET LOCK_TIMEOUT 0":                       true,
		"CREATE TABLE #t (a int)":                  true,
		"SELECT 1 AS a INTO #t":                    true,
		"USE [mgc2]":                               true,
		"EXECUTE AS USER = 'x'":                    true,
		"BEGIN TRAN":                               true,
		"DECLARE c CURSOR GLOBAL FOR SELECT 1":     true,
	} {
		if got := changesSession(q); got != want {
			t.Errorf("changesSession(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestDoctorSQLServerMessageTextAndDates: the doctor's checks of each
// message's chatDate (within the .NET DateTime range) and text ran on
// embedded databases only, so a SQL Server source with a message dated
// -1 tick (the import refuses the archive) or whose nvarchar content holds
// a UTF-16 surrogate without its pair (go-mssqldb reads it as U+FFFD: the
// export would carry a replaced character, silently) passed the doctor.
// Now one server-side read of tblChat names the first 10 of each by room
// and chat ID, and counts them all.
func TestDoctorSQLServerMessageTextAndDates(t *testing.T) {
	f := fakeDoctorServer{cat: fakeCatalog{}, badMessages: true}
	r, rec := runFakeDoctor(t, f, DoctorOptions{Role: RoleSource})
	for _, want := range []struct{ status, phrase string }{
		{DoctorFail, "12 messages are dated outside the .NET DateTime range (ticks 0 to 3155378975999999999, 0001-01-01 to 9999-12-31): room nodeID 1010, message 1: chatDate -1;"},
		{DoctorFail, "and 2 more"},
		{DoctorFail, "2 messages hold text with a UTF-16 surrogate that has no pair (not valid Unicode) (values are not shown): room nodeID 1010, message 7: content; room nodeID 1011, message 9: content"},
		{DoctorFail, "2 rows hold text with a UTF-16 surrogate that has no pair (not valid Unicode) (values are not shown): tblNode nodeID 10: nodeDesc; tblSiopWhiteList siopID abcdef00-0000-4000-8000-000000000001: siopName"},
	} {
		if !findLine(r, want.status, want.phrase) {
			t.Errorf("no %s line saying %q:\n%s", want.status, want.phrase, reportText(r))
		}
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
	n := 0
	for _, c := range rec.Calls() {
		if strings.HasPrefix(c.Query, "SELECT y.channelId") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the messages' dates and text read %d times, want once", n)
	}
	// A clean database says what was checked.
	r, _ = runFakeDoctor(t, fakeDoctorServer{cat: fakeCatalog{}}, DoctorOptions{Role: RoleSource})
	if !findLine(r, DoctorOK, "every name, description, principal and add-in text and every message's text is valid Unicode (no UTF-16 surrogate without its pair)") {
		t.Errorf("no OK text line:\n%s", reportText(r))
	}
	if findLine(r, DoctorFail, "dated outside") {
		t.Errorf("a clean database has messages dated outside the range:\n%s", reportText(r))
	}
}

// TestMessageFindingsSQLGolden pins the T-SQL of the messages' date and
// text check on SQL Server, and of the structure's text check.
func TestMessageFindingsSQLGolden(t *testing.T) {
	d := mssqlDialect{}
	got := structureTextSQL(d.ident, "tblSiopWhiteList", d.guid("[siopID]"), []string{"siopName", "siopUrl"}, 10) + "\nGO\n" +
		messageFindingsSQL(d.ident, "channelId", "chatId", "chatDate", []string{"content", "rtf"}) + "\nGO\n" +
		messageFindingsSQL(d.ident, "channelId", "chatId", "", []string{"content"}) + "\nGO\n" +
		messageFindingsSQL(d.ident, "channelId", "chatId", "chatDate", nil) + "\n"
	golden(t, "doctor_messages_mssql.sql", got)
}

// TestSQLServerIdleSessionCheckedBeforeReuse: a pooled connection idle
// longer than Config.SessionIdleCheck is reset and given the options again
// before its reuse: that round trip finds a connection dropped meanwhile
// while database/sql can still take another (driver.ErrBadConn), as every
// reuse did before the options were sent only once. Here the check is made
// immediate, and the connection dropped: the read still succeeds, on a new
// connection that gets the options first.
func TestSQLServerIdleSessionCheckedBeforeReuse(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	f := &fakeServer{rec: rec}
	rec.answer = f.answer
	conn := &faultConnector{inner: rec, log: &rec.callLog}
	s, err := OpenConnector(ctx, Config{Instance: "fake", ReadOnly: true, SessionIdleCheck: time.Nanosecond}, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	from := len(rec.Calls())
	if _, err := s.LastChatIDs(ctx, []int32{6}); err != nil {
		t.Fatal(err)
	}
	last, chat := "query SELECT nodeID, MAX(lastChatID) FROM tblL", "query SELECT v.id, (SELECT MAX(chatId) FROM tb"
	if diff := cmp.Diff([]string{"reset", "options", last, "reset", "options", chat}, sessionTranscript(rec.Calls(), from)); diff != "" {
		t.Errorf("reads on idle connections sent (-want +got):\n%s", diff)
	}
	conn.dropConnections()
	from = len(rec.Calls())
	if _, err := s.LastChatIDs(ctx, []int32{6}); err != nil {
		t.Fatalf("a read after the idle connection was dropped: %v", err)
	}
	if got := sessionTranscript(rec.Calls(), from); len(got) < 3 || got[0] != "connect" || got[1] != "options" || got[2] != last {
		t.Errorf("after the drop: %q, want connect, options, the read", got)
	}
}
