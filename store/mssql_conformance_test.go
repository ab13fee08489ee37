package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/pchat"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// The tests of this file run against a real SQL Server, and only when
// PCMIG_TEST_MSSQL_DSN names a scratch database, for example
//
//	PCMIG_TEST_MSSQL_DSN='sqlserver://sa:secret@localhost:1433?database=pcmigtest&encrypt=true&TrustServerCertificate=true'
//
// test/mssql/run.sh starts SQL Server 2019 and 2022 in containers and runs
// them (test/mssql/README.md). Every subtest drops the mgc tables of that
// database and creates them anew. Two subtests need more than the
// database: ReaderWriterLogin creates a login (the DSN's login must be
// allowed to: sysadmin or securityadmin), and NoCountUserOptions changes
// the server's "user options" for its duration, only when
// PCMIG_TEST_MSSQL_SERVER_CONFIG=1 says the server is a scratch one too.
const (
	mssqlDSNVar          = "PCMIG_TEST_MSSQL_DSN"
	mssqlServerConfigVar = "PCMIG_TEST_MSSQL_SERVER_CONFIG"
)

// scratchMarker is a table the suite creates in its database. Tables are
// only dropped in a database that has it, or has no tblNode at all, so a
// DSN that names a real pool by mistake fails instead of emptying it.
const scratchMarker = "pcmigTestScratch"

func mssqlDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(mssqlDSNVar)
	if dsn == "" {
		t.Skip(mssqlDSNVar + " not set: SQL Server tests skipped (test/mssql/run.sh runs them)")
	}
	return dsn
}

func TestConformanceSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	for _, tt := range []struct {
		name   string
		create func(context.Context, *sql.DB) error
	}{
		{"PlainIDs", store.CreateSQLServerSchema},
		{"IdentityIDs", store.CreateSQLServerSchemaIdentity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) *store.Store {
				return openFreshSQLServer(t, dsn, dsn, tt.create)
			})
		})
	}
	t.Run("ReaderWriterLogin", func(t *testing.T) {
		rw := readerWriterLogin(t, dsn)
		storetest.Run(t, func(t *testing.T) *store.Store {
			return openFreshSQLServer(t, dsn, rw, store.CreateSQLServerSchemaIdentity)
		})
	})
	t.Run("NoCountUserOptions", func(t *testing.T) {
		noCountUserOptions(t, dsn)
		storetest.Run(t, func(t *testing.T) *store.Store {
			return openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
		})
	})
}

// openFreshSQLServer empties the scratch database and creates the schema
// as admin, then opens a store on it as user (a DSN).
func openFreshSQLServer(t *testing.T, admin, user string, create func(context.Context, *sql.DB) error) *store.Store {
	t.Helper()
	ctx := context.Background()
	db, cfg := adminDB(t, admin)
	defer db.Close()
	if err := resetScratch(ctx, db); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	if err := create(ctx, db); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	s, err := store.Open(ctx, store.Config{DSN: user})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// adminDB connects with the test DSN's own login.
func adminDB(t *testing.T, dsn string) (*sql.DB, store.Config) {
	t.Helper()
	cfg := store.Config{DSN: dsn}
	conn, err := store.ConnString(cfg)
	if err != nil {
		t.Fatalf("%s: %v", mssqlDSNVar, err)
	}
	db, err := sql.Open("sqlserver", conn)
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	return db, cfg
}

func resetScratch(ctx context.Context, db *sql.DB) error {
	var name string
	var pool, marked int
	err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT DB_NAME(),
  CASE WHEN OBJECT_ID(N'tblNode', N'U') IS NULL THEN 0 ELSE 1 END,
  CASE WHEN OBJECT_ID(N'%s', N'U') IS NULL THEN 0 ELSE 1 END`, scratchMarker)).Scan(&name, &pool, &marked)
	if err != nil {
		return err
	}
	if pool == 1 && marked == 0 {
		return fmt.Errorf("database %s has tblNode but no %s table: %s must name a scratch database, not a pool", name, scratchMarker, mssqlDSNVar)
	}
	if marked == 0 {
		if _, err := db.ExecContext(ctx, `CREATE TABLE `+scratchMarker+` (createdOn datetime NOT NULL DEFAULT GETUTCDATE())`); err != nil {
			return err
		}
	}
	tables := store.SQLServerTables()
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(`IF OBJECT_ID(N'%s', N'U') IS NOT NULL DROP TABLE %s`, tables[i], tables[i])); err != nil {
			return fmt.Errorf("drop %s: %w", tables[i], err)
		}
	}
	return nil
}

// readerWriterLogin creates a SQL login whose user in the scratch database
// is only in db_datareader and db_datawriter, and returns the DSN that
// logs in with it. The login is dropped when the test ends.
func readerWriterLogin(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	db, cfg := adminDB(t, dsn)
	t.Cleanup(func() { db.Close() })
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name, password := "pcmig_rw_"+hex.EncodeToString(b[:4]), "Rw!"+hex.EncodeToString(b[4:])+"a"
	for _, stmt := range []string{
		fmt.Sprintf(`CREATE LOGIN [%s] WITH PASSWORD = N'%s', CHECK_POLICY = OFF`, name, password),
		fmt.Sprintf(`CREATE USER [%s] FOR LOGIN [%s]`, name, name),
		fmt.Sprintf(`ALTER ROLE db_datareader ADD MEMBER [%s]`, name),
		fmt.Sprintf(`ALTER ROLE db_datawriter ADD MEMBER [%s]`, name),
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Skipf("cannot create a db_datareader + db_datawriter login with the test DSN's login (needs securityadmin): %s", cfg.Redact(err.Error()))
		}
	}
	t.Cleanup(func() {
		for _, stmt := range []string{fmt.Sprintf(`DROP USER [%s]`, name), fmt.Sprintf(`DROP LOGIN [%s]`, name)} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Errorf("%s: %v", stmt, err)
			}
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(name, password)
	return u.String()
}

// noCountUserOptions turns SET NOCOUNT ON for every new session of the
// server ("user options" 512), as some DBAs configure it, until the test
// ends.
func noCountUserOptions(t *testing.T, dsn string) {
	t.Helper()
	if os.Getenv(mssqlServerConfigVar) != "1" {
		t.Skip(mssqlServerConfigVar + "=1 not set: the server's user options are left alone")
	}
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
	if err := set(old | 512); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	t.Cleanup(func() {
		if err := set(old); err != nil {
			t.Errorf("restore user options %d: %v", old, err)
		}
	})
	check, _ := adminDB(t, dsn)
	defer check.Close()
	var opts int64
	if err := check.QueryRowContext(ctx, `SELECT @@OPTIONS`).Scan(&opts); err != nil || opts&512 == 0 {
		t.Fatalf("a new session's @@OPTIONS = %d (%v): NOCOUNT is not on", opts, err)
	}
}

// TestDoctorSQLServer: a database made from pcmig's schema passes the
// doctor on a real server.
func TestDoctorSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := store.Doctor(context.Background(), store.Config{DSN: dsn}, store.DoctorOptions{ImportBytes: 1 << 20, ImportMessages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		t.Logf("%s %s: %s", c.Status, c.Check, c.Message)
		if c.Status == store.DoctorFail {
			t.Errorf("FAIL %s: %s", c.Check, c.Message)
		}
	}
}

// TestMigrationSQLServer migrates a lab estate's source pool into a SQL
// Server target with the bundled migrate.lua, then runs it again: the
// script's own reconciliation (verify) must find the target equal to the
// source both times, and the second run must add nothing.
func TestMigrationSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "estate")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 30, Categories: 5, Rooms: 12, Messages: 2500, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, lab.EstateFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), `db = "sqlite:target-2019.db"`, fmt.Sprintf("db = %q", dsn), 1)
	if text == string(b) {
		t.Fatalf("the lab estate has no target db to replace:\n%s", b)
	}
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		rep, out := runMigrate(t, file)
		if rep.Reconciliation == nil || !rep.Reconciliation.IsEqual() {
			t.Fatalf("run %d: the target is not equal to the source:\n%s", run, out)
		}
		t.Logf("run %d:\n%s", run, out)
	}
}

func runMigrate(t *testing.T, file string) (*pcrt.Report, string) {
	t.Helper()
	est, err := estate.Load(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	env := &bindings.Env{Estate: est, ToolVersion: "test", Now: time.Now}
	defer func() {
		if err := env.Close(); err != nil {
			t.Errorf("Env.Close: %v", err)
		}
	}()
	src, ok := scripts.Read("migrate.lua")
	if !ok {
		t.Fatal("no bundled migrate.lua")
	}
	var out bytes.Buffer
	rep, err := pcrt.Run(t.Context(), pcrt.Script{Name: "migrate.lua", Source: src}, pcrt.Options{
		Stdout: &out, Stderr: &out, Modules: env.Modules(), BundledFS: scripts.FS(), Now: env.Now,
	})
	if err != nil {
		t.Fatalf("migrate.lua: %v\n%s", err, out.String())
	}
	return rep, out.String()
}

// TestBulkCopyDefaultsSQLServer: a tblChat with a column the documented
// schema lacks, NOT NULL with a default (the doctor accepts one), takes
// pcmig's messages: the column gets its default and a NULL rtf stays NULL.
// Once without a default on rtf (the bulk copy leaves KEEP_NULLS out) and
// once with one (it sets KEEP_NULLS, which SQL Server's documentation says
// makes a bulk load ignore DEFAULT definitions: whether that reaches a
// column the load does not name is what this checks).
func TestBulkCopyDefaultsSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	for _, rtfDefault := range []bool{false, true} {
		t.Run(fmt.Sprintf("rtfDefault=%v", rtfDefault), func(t *testing.T) {
			ctx := context.Background()
			db, cfg := adminDB(t, dsn)
			defer db.Close()
			if err := resetScratch(ctx, db); err != nil {
				t.Fatal(cfg.Redact(err.Error()))
			}
			if err := store.CreateSQLServerSchema(ctx, db); err != nil {
				t.Fatal(cfg.Redact(err.Error()))
			}
			stmts := []string{`ALTER TABLE tblChat ADD pcmigTestFlags int NOT NULL CONSTRAINT DF_pcmigTestFlags DEFAULT 7`}
			if rtfDefault {
				stmts = append(stmts, `ALTER TABLE tblChat ADD CONSTRAINT DF_pcmigTestRtf DEFAULT ('') FOR rtf`)
			}
			for _, stmt := range stmts {
				if _, err := db.ExecContext(ctx, stmt); err != nil {
					t.Fatal(cfg.Redact(err.Error()))
				}
			}
			s, err := store.Open(ctx, store.Config{DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			u, _, rid := addRoom(t, s, "c", "r", 0)
			msgs := storetest.Msgs(6, u)
			wantNull := 0
			for _, m := range msgs {
				if m.RTF == nil {
					wantNull++
				}
			}
			if _, err := s.AppendMessages(ctx, rid, msgs); err != nil {
				t.Fatalf("AppendMessages into a tblChat with a NOT NULL column that has a default: %v", err)
			}
			var rows, nulls, defaulted int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN rtf IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN pcmigTestFlags = 7 THEN 1 ELSE 0 END) FROM tblChat`).Scan(&rows, &nulls, &defaulted); err != nil {
				t.Fatal(cfg.Redact(err.Error()))
			}
			if rows != len(msgs) || nulls != wantNull || defaulted != len(msgs) {
				t.Errorf("tblChat holds %d rows, %d with a NULL rtf, %d with the added column's default; want %d, %d, %d",
					rows, nulls, defaulted, len(msgs), wantNull, len(msgs))
			}
		})
	}
}

// TestWriterLockRealSQLServer: the writer lock on a real server. A second
// writer is refused, naming this process (sp_getapplock owned by the
// session although taken inside sp_executesql, the holder in CONTEXT_INFO,
// the holder query's pattern matching sys.dm_tran_locks'
// resource_description); readers are not; once the first closes the second
// gets it; and a writer whose session is killed refuses its next write
// (ErrLockLost).
func TestWriterLockRealSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := store.WithCommand(context.Background(), "pcmig test")
	first := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	_, err := store.Open(ctx, store.Config{DSN: dsn})
	var le *store.LockedError
	if !errors.As(err, &le) || le.Holder == nil || le.Holder.PID != os.Getpid() {
		t.Fatalf("second writer: %v (holder %+v), want a LockedError naming pid %d", err, le, os.Getpid())
	}
	reader, err := store.Open(ctx, store.Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatalf("reader beside a writer: %v", err)
	}
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := store.Open(ctx, store.Config{DSN: dsn})
	if err != nil {
		t.Fatalf("writer after the first closed: %v", err)
	}
	defer second.Close()
	if _, err := second.CreateCategory(ctx, pchat.Category{Name: "before"}); err != nil {
		t.Fatalf("write while the lock is held: %v", err)
	}
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	var spid int
	if err := db.QueryRowContext(ctx, `SELECT TOP (1) l.request_session_id FROM sys.dm_tran_locks AS l
WHERE l.resource_type = N'APPLICATION' AND l.resource_database_id = DB_ID() AND l.request_owner_type = N'SESSION'
  AND l.resource_description LIKE N'%pcmig writer%'`).Scan(&spid); err != nil {
		t.Fatalf("find the session holding the lock: %s", cfg.Redact(err.Error()))
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("KILL %d", spid)); err != nil {
		t.Fatalf("KILL %d: %s", spid, cfg.Redact(err.Error()))
	}
	if _, err := second.CreateCategory(ctx, pchat.Category{Name: "after"}); !errors.Is(err, store.ErrLockLost) {
		t.Errorf("write after the lock's session was killed: %v, want ErrLockLost", err)
	}
}

// TestDuplicateLastChatIDSQLServer: tblLastChatId's documented primary key
// is (nodeID, lastChatID), so a real mgc may hold two rows for one room
// (the doctor fails such a database: its chat counter is ambiguous). An
// append to that room must be refused whole, leaving tblChat and both rows
// as they were.
func TestDuplicateLastChatIDSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	defer s.Close()
	u, _, rid := addRoom(t, s, "c", "r", 3)
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	if _, err := db.ExecContext(ctx, `INSERT INTO tblLastChatId (nodeID, lastChatID) VALUES (@p1, 1)`, rid); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	if _, err := s.AppendMessages(ctx, rid, storetest.Msgs(2, u)); err == nil {
		t.Error("an append to a room with two tblLastChatId rows went through")
	} else {
		t.Logf("refused: %v", err)
	}
	var msgs, rows, high int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT_BIG(*) FROM tblChat WHERE channelId = @p1),
  (SELECT COUNT_BIG(*) FROM tblLastChatId WHERE nodeID = @p1), (SELECT MAX(lastChatID) FROM tblLastChatId WHERE nodeID = @p1)`, rid).Scan(&msgs, &rows, &high); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	if msgs != 3 || rows != 2 || high != 3 {
		t.Errorf("after the refusal: %d messages, %d tblLastChatId rows, highest %d; want 3, 2, 3", msgs, rows, high)
	}
}
