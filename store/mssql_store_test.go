package store

// Tests of a SQL Server store as a whole, on the recording driver: what it
// does when it opens and writes.

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/pchat"
)

// fakePool answers the queries a SQL Server store makes when it opens and
// writes, for a pool whose identity columns are given.
func fakePool(identity map[string]bool) func(string, []driver.NamedValue) [][]driver.Value {
	return func(q string, args []driver.NamedValue) [][]driver.Value {
		if rows, ok := (fakeCatalog{identity: identity}).answer(q, args); ok {
			return rows
		}
		switch {
		case strings.Contains(q, "INFORMATION_SCHEMA.COLUMNS"):
			table := args[0].Value.(string)
			cols := requiredSchema[table]
			if table == "tblPrincipalAffiliations" {
				cols = []string{"principalID", "affiliationID", "index", "updatedBy"}
			}
			var rows [][]driver.Value
			for _, c := range cols {
				rows = append(rows, []driver.Value{c})
			}
			return rows
		case strings.Contains(q, "FROM tblRoleType"):
			return [][]driver.Value{{int64(17), "Member"}, {int64(3), "Manager"}, {int64(42), "Voiced"}, {int64(8), "Creator"}}
		case strings.Contains(q, "FROM tblEnumValue"):
			return [][]driver.Value{{int64(2), "Visibility", "private"}, {int64(3), "Visibility", "scope"},
				{int64(6), "Visibility", "open"}, {int64(4), "Behavior", "normal"}, {int64(5), "Behavior", "auditorium"}}
		case strings.Contains(q, "SELECT MIN(nodeID)"):
			return [][]driver.Value{{int64(1)}}
		case q == identitySQL():
			var rows [][]driver.Value
			for _, c := range idColumns {
				v := int64(0)
				if identity[c.table] {
					v = 1
				}
				rows = append(rows, []driver.Value{c.table, v})
			}
			return rows
		case strings.HasPrefix(q, "SELECT MAX(nodeID)"):
			return [][]driver.Value{{int64(41)}}
		case strings.HasPrefix(q, "SELECT MAX(prinID)"):
			return [][]driver.Value{{int64(7)}}
		}
		return nil
	}
}

// TestSQLServerIdentityInserts opens a SQL Server store on a fake pool and
// checks that explicit-ID inserts are wrapped in SET IDENTITY_INSERT
// exactly for the IDENTITY columns, detected once per store.
func TestSQLServerIdentityInserts(t *testing.T) {
	tests := []struct {
		name     string
		identity map[string]bool
	}{
		{"plain columns", nil},
		{"nodeID is IDENTITY", map[string]bool{"tblNode": true}},
		{"both are IDENTITY", map[string]bool{"tblNode": true, "tblPrincipal": true}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, rec := openRecorder(t, fakePool(tt.identity))
			s := &Store{cfg: Config{Instance: "fake", Now: time.Now, HeartbeatWindow: time.Minute}, db: db, dialect: mssqlDialect{bulkMin: 1000}}
			if err := s.load(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(RoleTypes{Member: 17, Manager: 3, Voiced: 42, Creator: 8}, s.Roles()); diff != "" {
				t.Errorf("Roles() mismatch (-want +got):\n%s", diff)
			}
			for i := 0; i < 2; i++ {
				if id, err := s.CreateCategory(ctx, pchat.Category{Name: fmt.Sprintf("c%d", i)}); err != nil || id != 42 {
					t.Fatalf("CreateCategory() = %d, %v; want 42", id, err)
				}
				if id, created, err := s.EnsurePrincipal(ctx, pchat.Principal{URI: "sip:a@contoso.com", Type: pchat.TypeUser}); err != nil || !created || id != 8 {
					t.Fatalf("EnsurePrincipal() = %d, %v, %v; want 8, true", id, created, err)
				}
			}
			batch := []pchat.Principal{{URI: "sip:b@contoso.com", Type: pchat.TypeUser}, {URI: "sip:c@contoso.com", Type: pchat.TypeUser}}
			if ids, created, err := s.EnsurePrincipals(ctx, batch); err != nil || created != 2 {
				t.Fatalf("EnsurePrincipals() = %v, %d, %v; want 2 created", ids, created, err)
			} else if diff := cmp.Diff([]int32{8, 9}, ids); diff != "" {
				t.Errorf("EnsurePrincipals() IDs mismatch (-want +got):\n%s", diff)
			}
			got := map[string]int{}
			wrapped := map[string]bool{}
			for _, c := range rec.Calls() {
				switch {
				case c.Query == identitySQL():
					got["identity queries"]++
				case c.Op != "exec":
				case strings.Contains(c.Query, "INSERT INTO tblNode "):
					got["tblNode inserts"]++
					wrapped["tblNode"] = checkInsert(t, c, "tblNode", 17)
				case strings.Contains(c.Query, "INSERT INTO tblPrincipal "):
					got["tblPrincipal inserts"]++
					wrapped["tblPrincipal"] = checkInsert(t, c, "tblPrincipal", 18)
					if _, ok := c.Args[17].(mssql.DateTime1); !ok {
						t.Errorf("prinVerifiedOn argument is %T, want mssql.DateTime1", c.Args[17])
					}
				case strings.Contains(c.Query, "INSERT INTO tblPrincipalAffiliations"):
					got["affiliations"]++
					if !strings.Contains(c.Query, "[index]") {
						t.Errorf("affiliation insert %q does not bracket the index column", c.Query)
					}
				}
			}
			want := map[string]int{"identity queries": 1, "tblNode inserts": 2, "tblPrincipal inserts": 4, "affiliations": 4}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("statement counts mismatch (-want +got):\n%s", diff)
			}
			wantWrapped := map[string]bool{"tblNode": tt.identity["tblNode"], "tblPrincipal": tt.identity["tblPrincipal"]}
			if diff := cmp.Diff(wantWrapped, wrapped); diff != "" {
				t.Errorf("IDENTITY_INSERT wrapping mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// checkInsert checks an explicit-ID insert's shape and reports whether it
// was wrapped in SET IDENTITY_INSERT.
func checkInsert(t *testing.T, c call, table string, params int) bool {
	t.Helper()
	if len(c.Args) != params || !strings.Contains(c.Query, fmt.Sprintf("@p%d)", params)) {
		t.Errorf("%s insert has %d arguments (%q), want %d", table, len(c.Args), c.Query, params)
	}
	on := "SET IDENTITY_INSERT [" + table + "] ON;\nINSERT INTO " + table + " "
	off := ";\nSET IDENTITY_INSERT [" + table + "] OFF;"
	switch {
	case strings.HasPrefix(c.Query, on) && strings.HasSuffix(c.Query, off):
		return true
	case strings.HasPrefix(c.Query, "INSERT INTO "+table+" ") && !strings.Contains(c.Query, "IDENTITY_INSERT"):
		return false
	}
	t.Errorf("%s insert is malformed: %q", table, c.Query)
	return false
}
