package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
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
