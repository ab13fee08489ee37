package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// The reference infers where each access list is stored (room members,
// managers and presenters and category creators in tblPrincipalRole,
// category allowed and denied members in tblScopePrincipal) and leaves open
// whether others occur: roles granted on a category itself, scope entries
// on a room. A database that holds them cannot carry them in an archive;
// the export says so, naming each node, instead of dropping them silently
// (a room's denied member would otherwise gain the category's access).
func TestExportNamesAccessEntriesItCannotCarry(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src := filepath.Join(dir, "source-2015.db")
	cat := sqlRows(t, src, `SELECT nodeID, nodeName FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID ORDER BY nodeID LIMIT 1`)
	room := sqlRows(t, src, `SELECT nodeID, nodeName FROM tblNode WHERE nodeType = 0 AND parentID = `+strings.Split(cat[0], "|")[0]+` ORDER BY nodeID LIMIT 1`)
	users := sqlRows(t, src, `SELECT prinID FROM tblPrincipal WHERE prinTypeID = 5 ORDER BY prinID LIMIT 2`)
	if len(cat) != 1 || len(room) != 1 || len(users) != 2 {
		t.Fatalf("lab: category %v, room %v, users %v", cat, room, users)
	}
	catID, catName := strings.Split(cat[0], "|")[0], strings.Split(cat[0], "|")[1]
	roomID, roomName := strings.Split(room[0], "|")[0], strings.Split(room[0], "|")[1]
	role := func(desc string) string {
		return `(SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = '` + desc + `')`
	}
	labtest.ExecSQLite(t, src,
		`INSERT OR IGNORE INTO tblPrincipalRole VALUES (`+catID+`, `+users[0]+`, `+role("Manager")+`, 1)`,
		`INSERT OR IGNORE INTO tblPrincipalRole VALUES (`+catID+`, `+users[1]+`, `+role("Member")+`, 1)`,
		`INSERT OR IGNORE INTO tblPrincipalRole VALUES (`+roomID+`, `+users[0]+`, `+role("Creator")+`, 1)`,
		`DELETE FROM tblScopePrincipal WHERE scopeNodeID = `+roomID,
		`INSERT INTO tblScopePrincipal VALUES (`+roomID+`, `+users[1]+`, 1, 1)`,
		// A role type the reference does not name, and an entry on the root.
		`INSERT INTO tblPrincipalRole VALUES (`+roomID+`, `+users[1]+`, 99, 1)`,
		`INSERT INTO tblScopePrincipal SELECT nodeID, `+users[0]+`, 0, 1 FROM tblNode WHERE nodeType = 1 AND nodeID = parentID`,
	)
	stdout, stderr := mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", filepath.Join(dir, "x.zip"))
	out := stdout + stderr
	for _, want := range []string{
		`category "` + catName + `": 1 manager, 1 member granted on the category itself: not exported`,
		`room "` + roomName + `": 1 creator, 1 denied member, 1 role type 99: not exported`,
		`root node: 1 allowed member: not exported`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export output lacks %q:\n%s", want, out)
		}
	}
	// A scoped export names only the nodes it exports.
	other := sqlRows(t, src, `SELECT nodeName FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID AND nodeID <> `+catID+` LIMIT 1`)
	stdout, stderr = mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", filepath.Join(dir, "y.zip"), "--scope", other[0])
	if strings.Contains(stdout+stderr, "not exported") {
		t.Errorf("export --scope %q names entries outside its scope:\n%s", other[0], stdout+stderr)
	}
}

// Persistent Chat has one level of categories, under the root. A category
// whose parent is another category (a damaged or hand-edited database) is
// exported as a top-level category, and the export says so.
func TestExportNamesNestedCategories(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src := filepath.Join(dir, "source-2015.db")
	cats := sqlRows(t, src, `SELECT nodeID, nodeName FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID ORDER BY nodeID`)
	if len(cats) < 2 {
		t.Fatalf("lab categories: %v", cats)
	}
	outer, inner := strings.Split(cats[0], "|"), strings.Split(cats[1], "|")
	labtest.ExecSQLite(t, src, `UPDATE tblNode SET parentID = `+outer[0]+` WHERE nodeID = `+inner[0])
	stdout, stderr := mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", filepath.Join(dir, "x.zip"))
	want := `category "` + inner[1] + `" is inside category "` + outer[1] + `", not under the root`
	if !strings.Contains(stdout+stderr, want) {
		t.Errorf("export output lacks %q:\n%s%s", want, stdout, stderr)
	}
}
