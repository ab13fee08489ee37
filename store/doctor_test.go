package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeDoctorServer answers every query the doctor asks a SQL Server, for a
// database with the given problems.
type fakeDoctorServer struct {
	cat        fakeCatalog
	dupLast    bool       // a second tblLastChatId row for room 1010
	orphanChat bool       // messages of a removed room 999
	gonePoster bool       // messages of a poster prinID 4242 no longer in tblPrincipal
	ping       *time.Time // a heartbeat, zone-less server time
	readOnly   bool       // the login has db_datareader only
	fullData   bool       // the data files are full and cannot grow
	recovery   string     // default FULL
	noDelete   string     // a table the login may not delete from
	dupRooms   bool       // two rooms named "Twin Room", and "Sales" beside "sales"
	noChatPass bool       // the shared pass over tblChat fails (the checks then ask their own queries)
	// badMessages: 12 messages of room 1010 dated -1 tick (the first 10
	// named), and message 7 of room 1010 and 9 of room 1011 with a
	// surrogate without its pair in content; message 7 is both.
	badMessages bool
	// messagesFail: the read of the messages' dates and text fails with
	// this error.
	messagesFail string
}

var doctorNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func (f fakeDoctorServer) answer(q string, args []driver.NamedValue) [][]driver.Value {
	if rows, ok := f.cat.answer(q, args); ok {
		return rows
	}
	switch {
	case strings.HasPrefix(q, "SELECT TOP (10) x.*, COUNT_BIG(*) OVER () AS n FROM (SELECT "):
		switch {
		case !f.badMessages:
			return nil
		case strings.Contains(q, "FROM [tblNode]"): // nodeName, nodeDesc
			return [][]driver.Value{{int64(10), int64(0), int64(1), int64(1)}}
		case strings.Contains(q, "FROM [tblSiopWhiteList]"): // siopName, siopUrl
			return [][]driver.Value{{"ABCDEF00-0000-4000-8000-000000000001", int64(1), int64(0), int64(1)}}
		}
		return nil
	case f.messagesFail != "" && strings.HasPrefix(q, "SELECT y.channelId, y.chatId, y.chatDate, y.badDate, "):
		return [][]driver.Value{{errorf("%s", f.messagesFail)}}
	case strings.HasPrefix(q, "SELECT y.channelId, y.chatId, y.chatDate, y.badDate, y.bad0, y.nDates, y.nTexts FROM ("):
		if !f.badMessages {
			return [][]driver.Value{}
		}
		var rows [][]driver.Value
		for i := int64(1); i <= 10; i++ {
			bad := int64(0)
			if i == 7 {
				bad = 1
			}
			rows = append(rows, []driver.Value{int64(1010), i, int64(-1), int64(1), bad, int64(12), int64(2)})
		}
		return append(rows, []driver.Value{int64(1011), int64(9), int64(638000000000000000), int64(0), int64(1), int64(12), int64(2)})
	case q == chatPassSQL:
		if f.noChatPass {
			return [][]driver.Value{{errorf("Invalid object name 'tblChat'.")}}
		}
		var rows [][]driver.Value
		if f.orphanChat {
			rows = append(rows, []driver.Value{int64(999), int64(100), int64(12), int64(1), int64(0)})
		}
		if f.gonePoster {
			rows = append(rows, []driver.Value{int64(1010), int64(4242), int64(3), int64(0), int64(1)})
		}
		return rows
	case strings.Contains(q, "SERVERPROPERTY('ProductVersion')"):
		return [][]driver.Value{{"16.0.4135.4", "Developer Edition (64-bit)", "mgc", `CONTOSO\pcadmin`, "pcmig"}}
	case strings.Contains(q, "FROM tblPrincipalType"):
		return [][]driver.Value{{int64(1), "Any"}, {int64(4), "SystemUser"}, {int64(5), "User"}, {int64(8), "DC"}, {int64(9), "Group"}, {int64(10), "Folder"}}
	case q == namesSQL:
		rows := [][]driver.Value{{int64(2), int64(1), "Finance", nil}, {int64(3), int64(1), "Support", nil},
			{int64(10), int64(0), "Sales", "Finance"}, {int64(11), int64(0), "Twin Room", "Finance"}}
		if f.dupRooms {
			rows = append(rows, []driver.Value{int64(12), int64(0), "sales", "Support"}, []driver.Value{int64(13), int64(0), "Twin Room", "Support"})
		}
		return rows
	case strings.Contains(q, "HAVING COUNT(*) > 1"):
		if f.dupLast {
			return [][]driver.Value{{int64(1010), int64(2)}}
		}
		return nil
	case strings.Contains(q, "FROM tblChat AS m WHERE NOT EXISTS (SELECT 1 FROM tblPrincipal"):
		if f.gonePoster {
			return [][]driver.Value{{int64(4242), int64(3)}}
		}
		return nil
	case strings.Contains(q, "FROM tblChat c WHERE c.channelId IN (SELECT n.nodeID FROM tblNode n WHERE n.nodeType = 1)"):
		if f.gonePoster {
			return [][]driver.Value{{int64(2), int64(1)}}
		}
		return nil
	case q == entriesWithoutPrincipalSQL:
		if f.gonePoster {
			return [][]driver.Value{{int64(97), int64(2)}}
		}
		return nil
	case strings.Contains(q, "FROM tblChat c WHERE NOT EXISTS"):
		if f.orphanChat {
			return [][]driver.Value{{int64(999), int64(12)}}
		}
		return nil
	case strings.Contains(q, "FROM tblLastChatId"):
		return nil
	case q == exportTypesSQL, q == principalURIsSQL, strings.HasPrefix(q, noCategoryStart), q == principalStatesSQL, strings.HasPrefix(q, categoryPlacesSQL[:40]), strings.HasPrefix(q, categoryNullsSQL[:60]), q == roomSettingsSQL, q == roomInvitationsSQL, strings.HasPrefix(q, categoryDisabledSQL[:60]),
		strings.HasPrefix(q, "SELECT nodeID, nodeName, visibility, behavior FROM tblNode"),
		q == emptyURISQL, strings.HasPrefix(q, emptyNodeNamesSQL[:40]), strings.Contains(q, "FROM tblSiopWhiteList"), strings.HasPrefix(q, "SELECT n.nodeID, n.nodeName, CONVERT(nvarchar(36), n.siopID)"),
		strings.HasPrefix(q, unknownAuthorsSQL[:40]), q == emptyPrincipalTextsSQL,
		q == rolesWithoutNodeSQL, q == scopesWithoutNodeSQL, strings.HasPrefix(q, "SELECT g.prinRoleNodeID, g.prinRoleTypeID"), strings.HasPrefix(q, "SELECT e.scopeNodeID, e.scopePrinID"):
		return nil
	case q == `SELECT CONVERT(nvarchar(36), configPoolID) FROM tblConfig`:
		return [][]driver.Value{{"C0FFEE00-0000-4000-8000-00000000C0DE"}}
	case q == `SELECT COUNT(*) FROM tblServerIdentity`:
		return [][]driver.Value{{int64(1)}}
	case strings.Contains(q, "FROM tblServerIdentity"):
		return heartbeatServer{utc: doctorNow, ping: f.ping}.answer(q)
	case q == permissionsSQL():
		var rows [][]driver.Value
		for _, t := range catalogTables() {
			w := int64(1)
			if f.readOnly {
				w = 0
			}
			del := w
			if t == f.noDelete {
				del = 0
			}
			rows = append(rows, []driver.Value{t, int64(1), w, w, del})
		}
		return rows
	case q == spaceSQL:
		const gib = int64(1) << 30
		if f.fullData {
			return [][]driver.Value{{int64(0), 2 * gib, 2*gib - gib/100, int64(0), int64(0), 2 * gib}, {int64(1), gib, gib / 10, int64(1), int64(1), int64(0)}}
		}
		return [][]driver.Value{{int64(0), 10 * gib, 2 * gib, int64(1), int64(1), int64(0)}, {int64(1), 4 * gib, gib / 10, int64(1), int64(1), int64(0)}}
	case q == recoverySQL:
		r := f.recovery
		if r == "" {
			r = "FULL"
		}
		return [][]driver.Value{{r, "LOG_BACKUP"}}
	}
	if rows := fakePool(f.cat.identity)(q, args); rows != nil {
		return rows
	}
	return [][]driver.Value{{errorf("fake server: unexpected query %q", q)}}
}

type fakeErr string

func (e fakeErr) Error() string { return string(e) }

func errorf(format string, args ...any) error {
	return fakeErr(fmt.Sprintf(format, args...))
}

func runFakeDoctor(t *testing.T, f fakeDoctorServer, opts DoctorOptions) (*DoctorReport, *recorder) {
	t.Helper()
	rec := &recorder{answer: f.answer}
	cfg := Config{Instance: `sql19.contoso.com\rtc`, User: "pcmig", Password: testPassword, Now: func() time.Time { return doctorNow.Add(24 * time.Hour) }}
	r, err := DoctorConnector(context.Background(), cfg, rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if strings.Contains(c.Message, "fake server") {
			t.Errorf("doctor asked something the fake server does not know: %s", c.Message)
		}
		if f := leaksPassword(c.Message + c.Action); f != "" {
			t.Errorf("line %q shows the password", c.Message)
		}
	}
	return r, rec
}

func findLine(r *DoctorReport, status, phrase string) bool {
	for _, c := range r.Checks {
		if c.Status == status && strings.Contains(c.Message, phrase) {
			return true
		}
	}
	return false
}

func reportText(r *DoctorReport) string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(c.Status + " " + c.Check + ": " + c.Message + "\n")
	}
	return b.String()
}

// TestDoctorSQLServerClean runs the doctor against a documented mgc on a
// SQL Server with a Latin1 collation, an IDENTITY nodeID and a trigger,
// and checks that it only reads.
func TestDoctorSQLServerClean(t *testing.T) {
	f := fakeDoctorServer{cat: fakeCatalog{identity: map[string]bool{"tblNode": true},
		triggers: [][]driver.Value{{"tblChat", "trChatAudit", false}}}}
	r, rec := runFakeDoctor(t, f, DoctorOptions{ImportBytes: 1 << 30, ImportMessages: 1_000_000})
	if r.Failed() {
		t.Errorf("doctor failed a clean database:\n%s", reportText(r))
	}
	for _, want := range []struct{ status, phrase string }{
		{DoctorOK, `SQL Server 16.0.4135.4 (Developer Edition (64-bit)), database mgc, login CONTOSO\pcadmin as user pcmig`},
		{DoctorOK, "all 13 documented tables"},
		{DoctorOK, "tblNode.nodeID is an IDENTITY column"},
		{DoctorOK, "tblPrincipal.prinID is not an IDENTITY column"},
		{DoctorWarn, "trigger trChatAudit on tblChat runs for pcmig's writes too"},
		{DoctorOK, "database collation SQL_Latin1_General_CP1_CI_AS (case-insensitive, accent-sensitive, code page 1252)"},
		{DoctorOK, "category and room names compare case-insensitively"},
		{DoctorOK, "tblChat.rtf is varchar(max) in code page 1252 (SQL_Latin1_General_CP1_CI_AS)"},
		{DoctorOK, "12 Unicode (nvarchar) columns pcmig writes use SQL_Latin1_General_CP1_CI_AS"},
		{DoctorOK, "the login can write every table pcmig writes"},
		{DoctorOK, "pcmig needs no ALTER permission"},
		{DoctorOK, "role types found by description: Member 17, Manager 3, Voiced 42, Creator 8"},
		{DoctorOK, "no Persistent Chat server heartbeats"},
		{DoctorOK, "data files: 10.0 GiB allocated, 8.0 GiB free, may grow; the import needs about 2.1 GiB"},
		{DoctorOK, "recovery model FULL"},
		{DoctorOK, "every category name and every room name is held once in the pool"},
		{DoctorOK, "tblConfig pool ID c0ffee00-0000-4000-8000-00000000c0de"},
		{DoctorOK, "log files: 4.0 GiB allocated, 3.9 GiB free, may grow; the import needs about 2.1 GiB"},
	} {
		if !findLine(r, want.status, want.phrase) {
			t.Errorf("no %s line saying %q:\n%s", want.status, want.phrase, reportText(r))
		}
	}
	var queries []string
	seen := map[string]bool{}
	for _, c := range rec.Calls() {
		if (c.Op == "exec" && c.Query != sessionInitSQL) || c.Op == "prepare" || c.Op == "begin" {
			t.Errorf("doctor ran %s %.80s", c.Op, c.Query)
		}
		if c.Op == "query" && !seen[c.Query] {
			seen[c.Query] = true
			queries = append(queries, c.Query)
		}
	}
	golden(t, "doctor_mssql.sql", script(queries))
}

// TestDoctorSQLServerProblems: each problem gets its own line, and the
// report fails.
func TestDoctorSQLServerProblems(t *testing.T) {
	ping := doctorNow.Add(-30 * time.Second)
	f := fakeDoctorServer{cat: fakeCatalog{dbCollation: "Latin1_General_CS_AS", rename: map[string]string{"tblNode.nodeName": "NodeName"}},
		dupLast: true, orphanChat: true, gonePoster: true, ping: &ping, readOnly: true, fullData: true, dupRooms: true}
	r, _ := runFakeDoctor(t, f, DoctorOptions{ImportBytes: 1 << 30, ImportMessages: 1_000_000})
	for _, want := range []struct{ status, phrase string }{
		{DoctorFail, "column tblNode.nodeName is missing (the table has NodeName, and this database's collation Latin1_General_CS_AS compares names case-sensitively)"},
		{DoctorFail, "1 room has more than one tblLastChatId row: 1010 (2 rows)"},
		// A case-sensitive collation: "Sales" and "sales" are two names.
		{DoctorWarn, `2 rooms share 1 name (room names are unique in a pool, across categories): "Twin Room" (in "Finance"), "Twin Room" (in "Support")`},
		{DoctorWarn, "12 messages belong to 1 room that no longer exists: 999 (12 messages)"},
		{DoctorWarn, "3 messages were posted by 1 prinID not in tblPrincipal: 4242 (3 messages)"},
		{DoctorWarn, "2 role or allowed/denied entries name 1 prinID not in tblPrincipal: 97 (2 entries)"},
		{DoctorWarn, "1 message is on a category or the root node, in no room: 2 (1 message)"},
		{DoctorFail, "Persistent Chat server net.tcp://pchat01:8011 is running"},
		{DoctorFail, "the login lacks INSERT on tblChat"},
		{DoctorFail, "data files: 2.0 GiB allocated, 10.2 MiB free, cannot grow; the import needs about 2.1 GiB"},
	} {
		if !findLine(r, want.status, want.phrase) {
			t.Errorf("no %s line saying %q:\n%s", want.status, want.phrase, reportText(r))
		}
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
	// A dry run warns about the live server instead.
	r, _ = runFakeDoctor(t, f, DoctorOptions{Relaxed: true})
	if !findLine(r, DoctorWarn, "is running") {
		t.Errorf("relaxed: a live server is not a warning:\n%s", reportText(r))
	}
}

// TestDoctorUnfilledColumns: a column the documented schema does not have,
// NOT NULL without a default, in a table pcmig inserts into, makes the
// server refuse every row pcmig inserts there (error 515): the doctor
// names it before anything is written (FAIL for a target; a source is
// never inserted into). Columns the server fills (a default, a computed
// column, rowversion), nullable ones and those of tables pcmig never
// inserts into are fine.
func TestDoctorUnfilledColumns(t *testing.T) {
	f := fakeDoctorServer{cat: fakeCatalog{extra: []fakeColumn{
		{table: "tblNode", name: "tenantID", typ: "int"},
		{table: "tblChat", name: "chatFlags", typ: "int", hasDefault: true},
		{table: "tblPrincipal", name: "rowVer", typ: "timestamp"},
		{table: "tblScopePrincipal", name: "scopeKey", typ: "int", computed: true},
		{table: "tblPrincipalRole", name: "note", typ: "nvarchar", nullable: true},
		{table: "tblRoleType", name: "rtypeLevel", typ: "int"},
	}}}
	r, _ := runFakeDoctor(t, f, DoctorOptions{})
	var unfilled []string
	for _, c := range r.Checks {
		if c.Check == "schema" && strings.Contains(c.Message, "without a default") {
			unfilled = append(unfilled, c.Status+" "+c.Message)
		}
	}
	want := "FAIL column tblNode.tenantID (int) is NOT NULL without a default, and pcmig's inserts into tblNode leave it out: the server would refuse every row pcmig inserts there (error 515)"
	if len(unfilled) != 1 || unfilled[0] != want {
		t.Errorf("lines about unfilled columns %q, want [%q]\n%s", unfilled, want, reportText(r))
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
	r, _ = runFakeDoctor(t, f, DoctorOptions{Role: RoleSource})
	if findLine(r, DoctorFail, "tenantID") || findLine(r, DoctorWarn, "tenantID") {
		t.Errorf("a source, which pcmig never inserts into, is faulted for tblNode.tenantID:\n%s", reportText(r))
	}
}

// TestDoctorAsksForEveryDeleteARoomRemovalMakes: removing a room (the
// room.delete binding) deletes its invitations too, so a target login
// without DELETE on tblPrincipalInvites fails there after its other
// deletes; the doctor names it first.
func TestDoctorAsksForEveryDeleteARoomRemovalMakes(t *testing.T) {
	for _, table := range []string{"tblPrincipalInvites", "tblFileToken", "tblChat"} {
		r, _ := runFakeDoctor(t, fakeDoctorServer{cat: fakeCatalog{}, noDelete: table}, DoctorOptions{Role: RoleTarget})
		if !findLine(r, DoctorFail, "the login lacks DELETE on "+table) {
			t.Errorf("no permission failure for DELETE on %s:\n%s", table, reportText(r))
		}
	}
}

// TestDoctorSQLServerTurkishNames: in a Turkish-collated database a column
// spelled IsAlert is not isAlert, and the line says why: the collation is
// case-insensitive, by Turkish rules, not case-sensitive.
func TestDoctorSQLServerTurkishNames(t *testing.T) {
	f := fakeDoctorServer{cat: fakeCatalog{dbCollation: "Turkish_CI_AS", rename: map[string]string{"tblChat.isAlert": "IsAlert"}}}
	r, _ := runFakeDoctor(t, f, DoctorOptions{})
	want := "column tblChat.isAlert is missing (the table has IsAlert, and this database's collation Turkish_CI_AS compares names by Turkish case rules, where I is the capital of ı and İ that of i)"
	for _, c := range r.Checks {
		if c.Check == "schema" && c.Status == DoctorFail && c.Message == want {
			return
		}
	}
	t.Errorf("no FAIL line %q in %+v", want, r.Checks)
}

// TestDoctorSQLServerImportSizeUnknown: a target whose import size could
// not be found (a source's messages unreadable) warns on its data and log
// file lines (recovery model FULL) that they compared nothing, where they
// said OK.
func TestDoctorSQLServerImportSizeUnknown(t *testing.T) {
	r, _ := runFakeDoctor(t, fakeDoctorServer{}, DoctorOptions{ImportUnknown: "the messages of source pchat15 could not be read (see its report)"})
	if !findLine(r, DoctorWarn, "data files: 10.0 GiB allocated, 8.0 GiB free, may grow; the import's size is unknown, so it was not compared: the messages of source pchat15 could not be read (see its report)") {
		t.Errorf("no warning that the import's size is unknown:\n%s", reportText(r))
	}
	if !findLine(r, DoctorWarn, "log files: 4.0 GiB allocated, 3.9 GiB free, may grow; the import's size is unknown") {
		t.Errorf("no warning on the log line (recovery model FULL):\n%s", reportText(r))
	}
}
