package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// mssqlDSNVar names a scratch SQL Server database for the conformance
// suite, for example
//
//	PCMIG_TEST_MSSQL_DSN='sqlserver://sa:secret@localhost:1433?database=pcmigtest&encrypt=disable'
//
// Every subtest drops the mgc tables in it and creates them anew.
const mssqlDSNVar = "PCMIG_TEST_MSSQL_DSN"

// scratchMarker is a table the suite creates in its database. Tables are
// only dropped in a database that has it, or has no tblNode at all, so a
// DSN that names a real pool by mistake fails instead of emptying it.
const scratchMarker = "pcmigTestScratch"

func TestConformanceSQLServer(t *testing.T) {
	dsn := os.Getenv(mssqlDSNVar)
	if dsn == "" {
		t.Skip(mssqlDSNVar + " not set: SQL Server conformance suite skipped")
	}
	tests := []struct {
		name   string
		create func(context.Context, *sql.DB) error
	}{
		{"PlainIDs", store.CreateSQLServerSchema},
		{"IdentityIDs", store.CreateSQLServerSchemaIdentity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) *store.Store {
				return openFreshSQLServer(t, dsn, tt.create)
			})
		})
	}
}

// openFreshSQLServer empties the scratch database, creates the schema and
// opens a store on it.
func openFreshSQLServer(t *testing.T, dsn string, create func(context.Context, *sql.DB) error) *store.Store {
	t.Helper()
	ctx := context.Background()
	cfg := store.Config{DSN: dsn}
	conn, err := store.ConnString(cfg)
	if err != nil {
		t.Fatalf("%s: %v", mssqlDSNVar, err)
	}
	db, err := sql.Open("sqlserver", conn)
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer db.Close()
	if err := resetScratch(ctx, db); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	if err := create(ctx, db); err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
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
