package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestRootIsTheNodeThatIsItsOwnParent: the root is the tblNode row that is
// its own parent (docs/mappings.md). A node without a parent (parentID is
// nullable: a room or category an administrator's cleanup left without
// one) is not a root, even with a lower nodeID. It was: findRoot took the
// lowest nodeID that was its own parent or had none, so a target holding
// a stray room 0 without a parent got every imported category under that
// room, the doctor said "root node 0" and told the operator to move the
// real root under it, and verify said EQUAL.
func TestRootIsTheNodeThatIsItsOwnParent(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		handSQLNode(1000, 100, false, "R1"))
	tgt := handSQLPool(t, dir, "target",
		handSQLNode(0, 0, false, "Stray"),
		`UPDATE tblNode SET parentID = NULL WHERE nodeID = 0`)
	tgtPath := strings.TrimPrefix(tgt, "sqlite:")

	stdout, _ := mustRun(t, 0, "doctor", "--db", tgt, "--role", "target")
	mustContain(t, "doctor", stdout, "root node 1")
	if strings.Contains(stdout, "root node 0") {
		t.Errorf("doctor took the room without a parent for the root:\n%s", stdout)
	}

	archive := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", archive)
	mustRun(t, 0, "import", "--db", tgt, "--file", archive)
	rows := labtest.QuerySQLite(t, tgtPath, `SELECT nodeName, COALESCE(parentID, 'NULL') FROM tblNode WHERE nodeID <> 0 ORDER BY nodeType DESC, nodeName`)
	parent := map[string]string{}
	for _, r := range rows {
		parent[r[0]] = r[1]
	}
	if parent["Cat"] != "1" {
		t.Errorf("category Cat is under node %s in the target, want the root 1 (rows %q)", parent["Cat"], rows)
	}
	if got := labtest.QuerySQLite(t, tgtPath, `SELECT COALESCE(parentID, 'NULL') FROM tblNode WHERE nodeID = 0`); len(got) != 1 || got[0][0] != "NULL" {
		t.Errorf("the stray room's parent changed: %q", got)
	}
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt)
	mustContain(t, "verify", stdout, "EQUAL")
}
