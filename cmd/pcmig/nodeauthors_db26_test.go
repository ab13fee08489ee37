package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestNodeAuthorsNotInTblPrincipalAreNamed: a hand-built source whose room
// "Lobby" holds nodeAddedBy 4242 and nodeUpdatedBy 4343 and whose
// category "Cat" holds nodeUpdatedBy 4343, prinIDs not in tblPrincipal
// (removed principals: the columns are NOT NULL, their foreign key not
// enforced by an embedded database). An archive names principals by
// GUID, so the export carries "" and the import credits the target's
// system user: before, the doctor and the export said nothing of it.
// Now the doctor (source) warns naming each node and column, and the
// export warns per node; room "Plain", whose authors exist, is named by
// neither; what the warning says is what the target then holds.
func TestNodeAuthorsNotInTblPrincipalAreNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		handSQLNode(1001, 100, false, "Plain"),
		`UPDATE tblNode SET nodeAddedBy = 10, nodeUpdatedBy = 10 WHERE nodeID = 1001`,
		`UPDATE tblNode SET nodeAddedBy = 4242, nodeUpdatedBy = 4343 WHERE nodeID = 1000`,
		`UPDATE tblNode SET nodeUpdatedBy = 4343 WHERE nodeID = 100`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != 0 {
		t.Errorf("doctor: exit %d, want 0 (a warning):\n%s", code, stdout)
	}
	mustContain(t, "doctor", stdout,
		`WARN  node authors    2 categories and rooms name a creator (nodeAddedBy) or last updater (nodeUpdatedBy) that is not in tblPrincipal: "Cat" (nodeID 100): nodeUpdatedBy 4343; "Lobby" (nodeID 1000): nodeAddedBy 4242 and nodeUpdatedBy 4343`)
	mustLack(t, "doctor", stdout, `"Plain"`)

	arc := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	out := stdout + stderr
	mustContain(t, "export", out,
		`room "Lobby": nodeAddedBy 4242 and nodeUpdatedBy 4343 are prinIDs not in tblPrincipal: exported as "" (an archive names principals by GUID), so the import credits the target's system user (prinID 1)`,
		`category "Cat": nodeUpdatedBy 4343 is a prinID not in tblPrincipal`)
	mustLack(t, "export", out, `room "Plain"`)

	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QueryNullable(t, strings.TrimPrefix(tgt, "sqlite:"), `SELECT nodeName, nodeAddedBy, nodeUpdatedBy FROM tblNode WHERE nodeName IN ('Lobby', 'Cat') ORDER BY nodeName`)
	if len(got) != 2 || got[0][1].String != "1" || got[0][2].String != "1" || got[1][1].String != "1" || got[1][2].String != "1" {
		t.Errorf("target's Cat and Lobby authors: %v, want the system user (1) as the warning says", got)
	}
}
