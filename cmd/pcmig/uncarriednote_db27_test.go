package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestVerifyNotesUncarriedRoles: role grants and allowed/denied entries an
// archive has no place for (a member granted on a category itself, a
// room's creator and allowed member, an entry on the root node) are left
// behind by the export, which warns. Before, verify said EQUAL ("the same
// categories, rooms, roles and messages") with no word of them, in the
// real run and in the dry run alike. Now verify notes each node with its
// entries and the verdict names them; a scoped verify leaves out the root
// node's and those of categories outside the scope.
func TestVerifyNotesUncarriedRoles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(11, "sip:b@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(101, 1, true, "Other"),
		handSQLNode(1000, 100, false, "Lobby"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 1, 1), (1000, 11, 4, 1), (1000, 10, 1, 1), (1, 11, 2, 1), (101, 11, 1, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (1000, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	tgt := handSQLPool(t, dir, "target")
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	stdout, _ := mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout,
		`note: source: category "Cat": 1 member granted on the category itself: not carried (an archive holds only a category's allowed and denied members and creators, and a room's members, managers and presenters; the export leaves them behind and says so), so not compared: sip:a@contoso.com`,
		`note: source: room "Lobby": 1 allowed member, 1 creator: not carried (`,
		`note: source: root node: 1 manager: not carried (`,
		`note: source: category "Other": 1 member granted on the category itself`,
		"EQUAL: source and target hold the same categories, rooms, roles and messages, but for 5 role grants or allowed/denied entries of 4 source nodes that no export carries (see the notes)")
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc, "--scope", "Cat")
	mustContain(t, "verify --scope Cat", stdout, `note: source: category "Cat": 1 member granted`, `note: source: room "Lobby": 1 allowed member, 1 creator`,
		"but for 3 role grants or allowed/denied entries of 2 source nodes that no export carries")
	mustLack(t, "verify --scope Cat", stdout, "root node:", `category "Other"`)
}

// TestRunDryRunPredictsUncarriedNotes: on a lab estate whose source holds
// a member granted on a category itself, the dry run's reconciliation
// says what the real run's says of it.
func TestRunDryRunPredictsUncarriedNotes(t *testing.T) {
	t.Parallel()
	dir := labEstate(t)
	labtest.ExecSQLite(t, filepath.Join(dir, "source-2015.db"),
		`INSERT INTO tblPrincipalRole SELECT n.nodeID, p.prinID, 1, 1 FROM tblNode n, tblPrincipal p WHERE n.nodeName = 'Engineering' AND p.prinID = (SELECT MIN(prinID) FROM tblPrincipal WHERE prinTypeID = 5)`)
	est := filepath.Join(dir, "estate.lua")
	const note = `category "Engineering": 1 member granted on the category itself: not carried`
	dry, dryErr, _ := runCmd(t, "run", "--estate", est, "--dry-run")
	real, realErr := mustRun(t, 0, "run", "--estate", est)
	for name, out := range map[string]string{"dry run": dry + dryErr, "run": real + realErr} {
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, note) {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			t.Errorf("%s: no line says %q:\n%s", name, note, out)
		}
	}
}
