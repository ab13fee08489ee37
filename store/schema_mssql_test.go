package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./store -run %s -update to create it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// script joins statements as sqlcmd and SSMS read them.
func script(stmts []string) string {
	return strings.Join(stmts, "\nGO\n") + "\nGO\n"
}

func TestSQLServerSchemaGolden(t *testing.T) {
	tests := []struct {
		file     string
		identity bool
	}{
		{"schema_mssql.sql", false},
		{"schema_mssql_identity.sql", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			golden(t, tt.file, script(sqlServerSchema(tt.identity)))
		})
	}
}

// mssqlColumns reads the column names of each table out of the T-SQL
// definitions.
func mssqlColumns() map[string][]string {
	out := map[string][]string{}
	for _, tb := range mssqlTables {
		for _, line := range strings.Split(strings.TrimSpace(tb.body), "\n") {
			f := strings.Fields(line)
			if len(f) == 0 || f[0] == "PRIMARY" {
				continue
			}
			out[tb.name] = append(out[tb.name], strings.Trim(f[0], "[]"))
		}
	}
	return out
}

// TestSchemasAgree checks that the T-SQL and the embedded schema define
// the same tables and columns, so the two backends cannot drift.
func TestSchemasAgree(t *testing.T) {
	db, err := sql.Open("sqlite", SQLiteURI(filepath.Join(t.TempDir(), "s.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := initSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	lite := map[string][]string{}
	for _, tb := range tables {
		cols, err := tableColumns(context.Background(), db, sqliteDialect{}, tb)
		if err != nil {
			t.Fatal(err)
		}
		lite[tb] = cols
	}
	if diff := cmp.Diff(lite, mssqlColumns()); diff != "" {
		t.Errorf("SQLite and SQL Server schemas differ (-sqlite +sqlserver):\n%s", diff)
	}
	// Every table and column the store needs is created.
	for table, cols := range requiredSchema {
		have := map[string]bool{}
		for _, c := range mssqlColumns()[table] {
			have[c] = true
		}
		for _, c := range cols {
			if !have[c] {
				t.Errorf("T-SQL schema lacks required column %s.%s", table, c)
			}
		}
	}
}

func TestCreateSQLServerSchema(t *testing.T) {
	tests := []struct {
		name    string
		exists  int64
		wantErr error
		want    []string // operations, CREATE/INSERT statements by their first words
	}{
		{"empty database", 0, nil, nil},
		{"existing pool", 1, ErrSchemaExists, []string{"begin", "query", "rollback"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, rec := openRecorder(t, func(q string, _ []driver.NamedValue) [][]driver.Value {
				if strings.Contains(q, "OBJECT_ID('tblNode')") {
					return [][]driver.Value{{tt.exists}}
				}
				return nil
			})
			err := CreateSQLServerSchema(context.Background(), db)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CreateSQLServerSchema() = %v, want %v", err, tt.wantErr)
			}
			var ops, execs []string
			for _, c := range rec.Calls() {
				ops = append(ops, c.Op)
				if c.Op == "exec" {
					execs = append(execs, c.Query)
				}
			}
			want := tt.want
			if want == nil {
				want = []string{"begin", "query"}
				for range sqlServerSchema(false) {
					want = append(want, "exec")
				}
				want = append(want, "commit")
				if diff := cmp.Diff(sqlServerSchema(false), execs); diff != "" {
					t.Errorf("statements mismatch (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(want, ops); diff != "" {
				t.Errorf("operations mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSQLServerSchemaOrder checks that every REFERENCES names a table
// created earlier, so the script runs top to bottom.
func TestSQLServerSchemaOrder(t *testing.T) {
	created := map[string]bool{}
	var bad []string
	for _, tb := range mssqlTables {
		created[tb.name] = true
		for _, part := range strings.Split(tb.body, "REFERENCES ")[1:] {
			ref, _, _ := strings.Cut(part, "(")
			if !created[ref] {
				bad = append(bad, tb.name+" -> "+ref)
			}
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("tables referenced before they are created: %v", bad)
	}
}
