package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusesNodeIDOverflowBeforeWriting: the target's largest node
// ID is 2,147,483,646 (tblNode.nodeID is an int, largest 2,147,483,647)
// and the archive brings a category and two rooms: three new nodes, two
// past the largest. The import refused with a clear error, but at the
// structure step, after the principals were written (the new principal
// sip:a stayed in the target). Now the pre-flight refuses, naming the
// nodes needed and the largest node ID, before anything is written; a dry
// run says so too.
func TestImportRefusesNodeIDOverflowBeforeWriting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		handSQLNode(1001, 100, false, "R2"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'one', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	tgt := handSQLPool(t, dir, "target", handSQLNode(2147483646, 1, true, "High"))
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	for _, args := range [][]string{{"--dry-run"}, nil} {
		stdout, stderr, code := runCmd(t, append([]string{"import", "--db", tgt, "--file", arc}, args...)...)
		out := stdout + stderr
		if code != exitError || !strings.Contains(out, "3 new nodes (1 category, 2 rooms)") || !strings.Contains(out, "2147483646") ||
			!strings.Contains(out, "nothing was written") {
			t.Errorf("import %v: exit %d, want %d and a pre-flight error naming 3 new nodes and the largest node ID 2147483646:\n%s", args, code, exitError, out)
		}
	}
	db := strings.TrimPrefix(tgt, "sqlite:")
	if got := sqlRows(t, db, `SELECT (SELECT COUNT(*) FROM tblPrincipal) || ' ' || (SELECT COUNT(*) FROM tblNode) || ' ' || (SELECT COUNT(*) FROM tblPrincipalAffiliations)`); strings.Join(got, "") != "1 2 0" {
		t.Errorf("the target's principals, nodes and affiliations after the refused import: %v, want 1 2 0 (unchanged)", got)
	}
}
