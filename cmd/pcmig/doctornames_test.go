package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestDoctorNamesDuplicateRooms: room names are unique in a pool across
// categories (a room's identity is POOL\NAME), and the import refuses an
// archive with two rooms of one name. The source's doctor fails on them
// before anything is exported, naming the rooms and their categories (also
// two names that differ only in case or trailing spaces, which the
// database's collation holds as one); a target's doctor warns (an archive
// room of that name would be merged into one of them). A category name the
// pool holds twice is named the same way.
func TestDoctorNamesDuplicateRooms(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	src := filepath.Join(dir, "source-2015.db")
	out, _ := mustRun(t, 0, "doctor", "--db", "sqlite:"+src, "--role", "source")
	mustContain(t, "clean source", out, "OK    names")
	labtest.ExecSQLite(t, src,
		`UPDATE tblNode SET nodeName = 'Twin Room' WHERE nodeID IN (
		   SELECT MIN(r.nodeID) FROM tblNode r WHERE r.nodeType = 0 GROUP BY r.parentID ORDER BY MIN(r.nodeID) LIMIT 2)`,
		`UPDATE tblNode SET nodeName = 'twin room  ' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 0)`)
	out, _ = mustRun(t, 1, "doctor", "--db", "sqlite:"+src, "--role", "source")
	mustContain(t, "source", out, `FAIL  names`, `3 rooms share 1 name`, `"Twin Room" (in `, `"twin room  " (in `, "Set-CsPersistentChatRoom")
	if strings.Count(out, `"Twin Room" (in `) != 2 {
		t.Errorf("the two rooms named Twin Room are not both named:\n%s", out)
	}
	out, _ = mustRun(t, 0, "doctor", "--db", "sqlite:"+src, "--role", "target")
	mustContain(t, "as a target", out, `WARN  names`, `3 rooms share 1 name`)

	labtest.ExecSQLite(t, src,
		`UPDATE tblNode SET nodeName = 'Twin Category' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID)`,
		`UPDATE tblNode SET nodeName = 'TWIN CATEGORY' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID)`)
	out, _ = mustRun(t, 1, "doctor", "--db", "sqlite:"+src, "--role", "source")
	mustContain(t, "categories", out, `2 categories share 1 name: "Twin Category", "TWIN CATEGORY"`)
}

// TestDoctorEstateNamesAsTheTarget: doctor --estate checks a source's
// names also as the target compares them (the import does), so the
// source's names line says which collation it held them to; a target that
// cannot be opened leaves the source's own check, and its report says why.
// (Names that only the target holds as one need a case-sensitive source,
// a SQL Server: store's TestDoctorNamesAsTheTargetCompares.)
func TestDoctorEstateNamesAsTheTarget(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	est := filepath.Join(dir, "estate.lua")
	out, _ := mustRun(t, 0, "doctor", "--estate", est)
	mustContain(t, "estate", out, "as the database compares names and as the target does, whose names compare as embedded (case-insensitive, accent-sensitive)")
	if err := os.Rename(filepath.Join(dir, "target-2019.db"), filepath.Join(dir, "moved.db")); err != nil {
		t.Fatal(err)
	}
	out, _ = mustRun(t, 1, "doctor", "--estate", est)
	mustContain(t, "no target", out, "OK    names")
	if strings.Contains(out, "as the target does") {
		t.Errorf("a target that cannot be opened still gave its collation:\n%s", out)
	}
}
