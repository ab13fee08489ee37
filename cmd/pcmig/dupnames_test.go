package main

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImportRefusesNamesTheTargetHoldsOnce: names are unique in a pool
// (room names across categories too), as the target's collation compares
// them. An archive with two rooms, categories or add-ins whose names the
// target would find equal (the same name, another case, trailing spaces)
// is refused before anything is written, naming both.
func TestImportRefusesNamesTheTargetHoldsOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sql  []string
		want []string
	}{
		{"two rooms of one name in two categories", []string{
			`UPDATE tblNode SET nodeName = 'Twin Room' WHERE nodeID IN (
			   SELECT MIN(r.nodeID) FROM tblNode r WHERE r.nodeType = 0 GROUP BY r.parentID ORDER BY MIN(r.nodeID) LIMIT 2)`,
		}, []string{`room "Twin Room"`, "in category", "and room", "unique in a pool"}},
		{"rooms differing in case and trailing spaces", []string{
			`UPDATE tblNode SET nodeName = 'twin room  ' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 0)`,
			`UPDATE tblNode SET nodeName = 'Twin Room' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 0)`,
		}, []string{`room "Twin Room"`, `"twin room  "`, "unique in a pool"}},
		{"categories differing in case", []string{
			`UPDATE tblNode SET nodeName = 'Twin Category' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID)`,
			`UPDATE tblNode SET nodeName = 'TWIN CATEGORY' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID)`,
		}, []string{`category "TWIN CATEGORY"`, `"Twin Category"`, "unique in a pool"}},
		{"add-ins differing in case", []string{
			`UPDATE tblSiopWhiteList SET siopName = 'Board' WHERE siopID = (SELECT MIN(siopID) FROM tblSiopWhiteList)`,
			`UPDATE tblSiopWhiteList SET siopName = 'board ' WHERE siopID = (SELECT MAX(siopID) FROM tblSiopWhiteList)`,
		}, []string{"add-in", `"Board"`, `"board "`, "unique in a pool"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "200")
			src := filepath.Join(est, "source-2015.db")
			db := openDBWrite(t, src)
			for _, stmt := range tt.sql {
				if res, err := db.Exec(stmt); err != nil {
					t.Fatal(err)
				} else if n, _ := res.RowsAffected(); n == 0 {
					t.Fatalf("%s: no row", stmt)
				}
			}
			db.Close()
			zip := filepath.Join(t.TempDir(), "pchat.zip")
			_, stderr, code := runCmd(t, "export", "--db", "sqlite:"+src, "--file", zip)
			if code != 0 {
				// The archive format itself refuses some duplicates: then
				// there is nothing to import.
				t.Logf("export refused the duplicates: %s", stderr)
				return
			}
			target := filepath.Join(est, "target-2019.db")
			before := hashTree(t, est)
			for _, mode := range [][]string{{"--dry-run"}, {}} {
				out, _, code := runCmd(t, append([]string{"import", "--db", "sqlite:" + target, "--file", zip}, mode...)...)
				if code != exitError {
					t.Errorf("import %v: exit %d, want %d\n%s", mode, code, exitError, out)
				}
				mustContain(t, "import", out, tt.want...)
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("the refused import changed the estate (-before +after):\n%s", diff)
			}
		})
	}
}
