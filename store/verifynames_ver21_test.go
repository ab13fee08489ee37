package store_test

import (
	"database/sql"
	"strings"
	"testing"
)

// TestDryRunVerifyNamesAsTheTarget: a dry run's verify finds the import's
// outcome of each source category and room by name (a dry run keeps no
// journal), and must match names as the target's collation does. A source
// and a target that keep two categories and two rooms apart by case alone
// (a case-sensitive collation, or Turkish rules, where I is not the
// capital of i) import and reconcile EQUAL: verify had matched outcomes by
// lower-cased name, took both objects' outcome for one of them, and
// reported the other as 'named "Istanbul" in the target, "istanbul" expected'.
func TestDryRunVerifyNamesAsTheTarget(t *testing.T) {
	for _, tc := range []struct {
		collation            string
		cat1, cat2, rm1, rm2 string
	}{
		{"Latin1_General_CS_AS", "Field Ops", "field ops", "Lobby", "lobby"},
		{"Turkish_CI_AS", "Istanbul", "istanbul", "Izmir", "izmir"},
	} {
		t.Run(tc.collation, func(t *testing.T) {
			dir, shims := sqlServerLab(t, func(source, _ string) {
				db, err := sql.Open("sqlite", source)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				for _, q := range []string{
					`UPDATE tblNode SET nodeName = '` + tc.cat1 + `' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> 1)`,
					`UPDATE tblNode SET nodeName = '` + tc.cat2 + `' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 1)`,
					`UPDATE tblNode SET nodeName = '` + tc.rm1 + `' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 0)`,
					`UPDATE tblNode SET nodeName = '` + tc.rm2 + `' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 0)`,
				} {
					if res, err := db.Exec(q); err != nil {
						t.Fatal(err)
					} else if n, _ := res.RowsAffected(); n != 1 {
						t.Fatalf("%s: %d rows", q, n)
					}
				}
			})
			for _, shim := range shims {
				shim.SetNameCollation(tc.collation)
			}
			rep, out, err := dryRunMigrate(t, dir, shims)
			if err != nil {
				t.Fatalf("the dry run failed: %v\n%s", err, out)
			}
			rec := rep.Reconciliation
			if rec == nil {
				t.Fatalf("the dry run made no reconciliation:\n%s", out)
			}
			if !rec.Equal || len(rec.Differences) > 0 {
				t.Errorf("verdict %s, differences %v\n%s", rec.Verdict, rec.Differences, out)
			}
			seen := map[string]string{}
			for _, c := range rec.Categories {
				seen["category "+c.Name] = c.TargetName
			}
			for _, r := range rec.Rooms {
				seen["room "+r.Name] = r.TargetName
			}
			for _, name := range []string{"category " + tc.cat1, "category " + tc.cat2, "room " + tc.rm1, "room " + tc.rm2} {
				if got, ok := seen[name]; !ok || got != strings.SplitN(name, " ", 2)[1] {
					t.Errorf("%s: in the target as %q (compared: %v)", name, got, ok)
				}
			}
		})
	}
}
