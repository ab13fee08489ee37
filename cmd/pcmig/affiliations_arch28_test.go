package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAffiliationsOfUnknownPrincipalsSaid: a hand-built source whose
// tblPrincipalAffiliations holds rows naming prinIDs not in tblPrincipal
// (a removed group, a removed principal; the foreign keys are not
// enforced by an embedded database). An archive names principals by
// GUID, so the export leaves them out; it did so without a word. It now
// warns once, counting them and naming the prinIDs, and carries the
// known affiliation.
func TestAffiliationsOfUnknownPrincipalsSaid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLPrincipal(20, "ma-grp:known@contoso.com", 9),
		`INSERT INTO tblPrincipalAffiliations VALUES (10, 10, -1, 1), (10, 20, 1, 1), (10, 77, 1, 1), (10, 78, 1, 1), (99, 20, 1, 1)`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	a := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, exitOK, "export", "--db", src, "--file", a)
	mustContain(t, "export", stdout+stderr,
		"3 affiliations (tblPrincipalAffiliations rows, a principal's groups, containers and domains) name a principal not in tblPrincipal (prinIDs 77, 78, 99): not exported (an archive names principals by GUID)")
	prins := string(zipEntry(t, a, "principals.jsonl"))
	var line string
	for _, l := range strings.Split(prins, "\n") {
		if strings.Contains(l, `"uri":"sip:a@contoso.com"`) {
			line = l
		}
	}
	mustContain(t, "sip:a's record", line, `"affiliations":["00000014-1111-4111-8111-000000000014"]`)

	clean := handSQLPool(t, dir, "clean",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLPrincipal(20, "ma-grp:known@contoso.com", 9),
		`INSERT INTO tblPrincipalAffiliations VALUES (10, 10, -1, 1), (10, 20, 1, 1)`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"))
	stdout, stderr = mustRun(t, exitOK, "export", "--db", clean, "--file", filepath.Join(dir, "b.zip"))
	mustLack(t, "export of a clean source", stdout+stderr, "tblPrincipalAffiliations")
}
