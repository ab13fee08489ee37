package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// A source role whose principal is outside its category's allowed members
// minus denied members (a user denied in the category still a member of
// one of its rooms, say, as real pools hold) is not granted by the import,
// by the documented rule: verify accounts for it as not carried, and the
// bundled migration ends EQUAL. A role the rule allows that is missing
// from the target stays a difference.
func TestVerifyRoleOutsideCategoryNotCarried(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	// A room whose category denies a principal.
	rows := sqlRows(t, src, `SELECT r.nodeID, r.nodeName, c.nodeID, c.nodeName, p.prinID, p.prinUri
		FROM tblScopePrincipal s JOIN tblNode c ON c.nodeID = s.scopeNodeID JOIN tblNode r ON r.parentID = c.nodeID AND r.nodeType = 0
		JOIN tblPrincipal p ON p.prinID = s.scopePrinID
		WHERE s.scopeIsDenied = 1 AND c.nodeType = 1 ORDER BY r.nodeID, p.prinID LIMIT 1`)
	if len(rows) != 1 {
		t.Fatalf("no room in a category with a denied member in the lab: %v", rows)
	}
	f := strings.Split(rows[0], "|")
	roomID, roomName, catID, catName, prinID, uri := f[0], f[1], f[2], f[3], f[4], f[5]
	labtest.ExecSQLite(t, src,
		`INSERT OR IGNORE INTO tblPrincipalRole VALUES (`+roomID+`, `+prinID+`, 1, 1)`, // member
		`INSERT OR IGNORE INTO tblPrincipalRole VALUES (`+roomID+`, `+prinID+`, 2, 1)`, // manager
		`INSERT OR IGNORE INTO tblPrincipalRole VALUES (`+catID+`, `+prinID+`, 4, 1)`,  // creator
	)
	est := filepath.Join(dir, "estate.lua")
	rep := filepath.Join(dir, "run.json")
	_, stderr := mustRun(t, 0, "run", "--estate", est, "--report", rep)
	outside := `is not carried: outside category "` + catName + `"'s allowed members minus denied members`
	mustContain(t, "run", stderr,
		"room "+roomName+": member "+uri+" "+outside,
		"category "+catName+": creator "+uri+" "+outside)
	var report struct {
		Reconciliation struct {
			Verdict    string `json:"verdict"`
			NotCarried []struct {
				Object, Role, Principal, Text string
			} `json:"not_carried"`
		} `json:"reconciliation"`
	}
	decodeJSON(t, readFile(t, rep), &report)
	r := report.Reconciliation
	got := map[string]bool{}
	for _, n := range r.NotCarried {
		if n.Principal == uri {
			got[n.Object+"|"+n.Role] = true
		}
	}
	for _, want := range []string{"room " + roomName + "|member", "room " + roomName + "|manager", "category " + catName + "|creator"} {
		if !got[want] {
			t.Errorf("report's not_carried lacks %s of %s: %+v", want, uri, r.NotCarried)
		}
	}
	if r.Verdict != "EQUAL" {
		t.Errorf("verdict %s, want EQUAL", r.Verdict)
	}

	// A role the rule allows, lost from the target: still a difference.
	lost := sqlRows(t, tgt, `SELECT p.prinUri, p.prinID FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
		JOIN tblNode n ON n.nodeID = r.prinRoleNodeID
		WHERE n.nodeName = '`+roomName+`' AND n.nodeType = 0 AND r.prinRoleTypeID = 1 ORDER BY p.prinID LIMIT 1`)
	if len(lost) != 1 {
		t.Fatalf("room %s has no member in the target", roomName)
	}
	lf := strings.Split(lost[0], "|")
	labtest.ExecSQLite(t, tgt, `DELETE FROM tblPrincipalRole WHERE prinRoleTypeID = 1 AND prinRolePrinID = `+lf[1]+`
		AND prinRoleNodeID = (SELECT nodeID FROM tblNode WHERE nodeName = '`+roomName+`' AND nodeType = 0)`)
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify after a member was lost: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout,
		"difference: room "+roomName+": member "+lf[0]+" is in the source, not in the target",
		"not carried: room "+roomName+": member "+uri+" "+outside,
		"DIFFERENT: 1 difference")
}

// A file its messages link to that the source's file store lacks too
// could not be copied: verify notes it, and the migration ends EQUAL. A
// file the source's store holds and the target's lacks stays a difference.
func TestVerifyFileMissingFromSourceStoreToo(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "1500")
	est := filepath.Join(dir, "estate.lua")
	var files []string
	filepath.WalkDir(filepath.Join(dir, "filestore-2015"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return err
	})
	if len(files) < 2 {
		t.Fatalf("the lab's source file store holds %d files", len(files))
	}
	gone := files[0]
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := mustRun(t, 0, "run", "--estate", est)
	mustContain(t, "run", stderr, "are missing from the target's file store and from the source's file store too: nothing to copy ("+filepath.Base(gone))
	mustContain(t, "run", stdout, "EQUAL")

	// A file the source's store holds, lost from the target's: a difference.
	rel, err := filepath.Rel(filepath.Join(dir, "filestore-2015"), files[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "filestore-2019", rel)); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify after a file was lost: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout, "missing from the target's file store ("+filepath.Base(files[1]),
		"missing from the source's file store too: nothing to copy", "DIFFERENT: 1 difference")
}
