package store_test

// Real-server test of sql29 (test/mssql/run.sh): like the rest of
// mssql_conformance_test.go it runs only when PCMIG_TEST_MSSQL_DSN names a
// scratch database. It touches no table.

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/store"
)

// TestDriverTimeoutAndTimezoneSQLServer settles on a server what pcmig's
// refusal of the DSN keys "connection timeout" and "timezone" rests on
// (go-mssqldb v1.11.2 read, not seen): a connection opened with connection
// timeout=2 fails a statement the server answers after 4 s (a read
// deadline, not a time to connect), and one opened with timezone=Asia/Tokyo
// reads back a datetime it was given in UTC 9 hours off. pcmig itself
// refuses both DSNs.
func TestDriverTimeoutAndTimezoneSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	conn, err := store.ConnString(store.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	with := func(k, v string) string {
		u, err := url.Parse(conn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set(k, v)
		u.RawQuery = q.Encode()
		return u.String()
	}
	for _, k := range [][2]string{{"connection timeout", "2"}, {"timezone", "Asia/Tokyo"}} {
		if _, err := store.ConnString(store.Config{DSN: with(k[0], k[1])}); err == nil || !strings.Contains(err.Error(), `"`+k[0]+`"`) {
			t.Errorf("pcmig takes a DSN with %s=%s: %v", k[0], k[1], err)
		}
	}
	cfg := store.Config{DSN: dsn}

	db, err := sql.Open("sqlserver", with("connection timeout", "2"))
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	start := time.Now()
	_, err = db.ExecContext(ctx, `WAITFOR DELAY '00:00:04'`)
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "timeout") {
		t.Errorf("with connection timeout=2, a 4 s statement returned %v after %v; want an i/o timeout (the key would be harmless)", err, time.Since(start).Round(time.Millisecond))
	}

	tz, err := sql.Open("sqlserver", with("timezone", "Asia/Tokyo"))
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer tz.Close()
	sent := time.Date(2020, 1, 2, 10, 0, 0, 0, time.UTC)
	var back time.Time
	if err := tz.QueryRowContext(ctx, `SELECT @p1`, mssql.DateTime1(sent)).Scan(&back); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	if shift := sent.Sub(back); shift != 9*time.Hour {
		t.Errorf("with timezone=Asia/Tokyo a datetime sent as %v read back as %v (%v off); pcmig refuses the key for a 9 h shift", sent, back.UTC(), shift)
	}
}

// TestDoctorSeesTriggersAsReaderWriterSQLServer: SQL Server shows a login
// the catalogue rows of the securables it owns or holds a permission on
// (metadata visibility), and a trigger is a securable of its own. Whether
// a login that is only in db_datareader and db_datawriter (what pcmig
// needs) sees a DML trigger on tblChat in sys.triggers is not known here;
// if it does not, the doctor's "no triggers on the tables pcmig uses"
// would be said of a table whose trigger fires for every bulk-copied
// message. This test settles it: the doctor run as such a login must name
// the trigger the admin created.
func TestDoctorSeesTriggersAsReaderWriterSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TRIGGER pcmigTestChatTrigger ON tblChat AFTER INSERT AS SET NOCOUNT ON`); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	rw := readerWriterLogin(t, dsn)
	r, err := store.Doctor(ctx, store.Config{DSN: rw}, store.DoctorOptions{ImportBytes: 1 << 20, ImportMessages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, c := range r.Checks {
		t.Logf("%s %s: %s", c.Status, c.Check, c.Message)
		if c.Check == "triggers" && strings.Contains(c.Message, "pcmigTestChatTrigger") {
			seen = true
		}
	}
	if !seen {
		t.Error("the doctor, run as a db_datareader + db_datawriter login, does not name the trigger on tblChat: such a login does not see triggers, and the doctor's triggers line must say so instead of 'no triggers'")
	}
}
