package store_test

// Real-server test of sqlrev31 (test/mssql/run.sh): like the rest of
// mssql_conformance_test.go it runs only when PCMIG_TEST_MSSQL_DSN names a
// scratch database, whose mgc tables it drops and recreates.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// TestNodeTypeReadsSQLServer: the reads that take tblNode.nodeType (a bit,
// which go-mssqldb returns as a bool) work on a server: ScopeRooms finds
// each category's rooms of a migrated lab as the embedded source does, and
// the doctor run on that database as a source has no line it could not
// check. The stand-in server answers bit columns as bools too
// (TestSQLServerScopeRoomsReadsNodeTypeAsBit); this is the server itself.
func TestNodeTypeReadsSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "estate")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 12, Categories: 3, Rooms: 6, Messages: 300, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, lab.EstateFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), `db = "sqlite:target-2019.db"`, fmt.Sprintf("db = %q", dsn), 1)
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if rep, out := runMigrate(t, file); rep.Reconciliation == nil || !rep.Reconciliation.IsEqual() {
		t.Fatalf("the target is not equal to the source:\n%s", out)
	}

	ctx := t.Context()
	src, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cats, err := src.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := store.Open(ctx, store.Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatal(store.Config{DSN: dsn}.Redact(err.Error()))
	}
	defer tgt.Close()
	total := 0
	for _, c := range cats {
		want, err := src.ScopeRooms(ctx, []string{c.Name})
		if err != nil {
			t.Fatal(err)
		}
		got, err := tgt.ScopeRooms(ctx, []string{c.Name})
		if err != nil {
			t.Fatalf("ScopeRooms on SQL Server: %s", store.Config{DSN: dsn}.Redact(err.Error()))
		}
		slices.Sort(got)
		if len(slices.Compact(got)) != len(want) {
			t.Errorf("category %q: rooms %v on SQL Server, %d in the source", c.Name, got, len(want))
		}
		total += len(want)
	}
	if total == 0 {
		t.Fatal("the lab's categories hold no rooms: the test compared nothing")
	}

	r, err := store.Doctor(ctx, store.Config{DSN: dsn}, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(store.Config{DSN: dsn}.Redact(err.Error()))
	}
	for _, c := range r.Checks {
		if strings.Contains(c.Message, "could not check") {
			t.Errorf("%s %s: %s", c.Status, c.Check, c.Message)
		}
	}
}
