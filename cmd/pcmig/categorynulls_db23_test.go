package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestCategoryNullSettingsAreNamed: a hand-built source whose category
// "Nulls" holds NULL in invite, filePost and logged (nullable columns;
// the reference documents 1 on and 0 off for a category, NULL only for a
// room's invite) and whose category "Half" holds NULL in logged only. An
// archive holds the three settings as booleans, so the export carried
// NULL as off and the import wrote 0 (chat history off in the target),
// silently: the doctor said 0 WARN, the export no warning, and verify,
// which reads NULL as off in both pools, EQUAL. Now the doctor (source)
// and the export name each such category and setting; a category of 1s
// and 0s is named by neither.
func TestCategoryNullSettingsAreNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Nulls"),
		handSQLNode(101, 1, true, "Half"),
		handSQLNode(102, 1, true, "Set"),
		`UPDATE tblNode SET invite = 1, filePost = 0 WHERE nodeID = 101`,
		`UPDATE tblNode SET invite = 0, filePost = 1, logged = 0 WHERE nodeID = 102`,
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (101, 10, 0, 1), (102, 10, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 1, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != 0 {
		t.Fatalf("doctor: exit %d:\n%s", code, stdout)
	}
	mustContain(t, "doctor", stdout,
		`WARN  categories      2 categories hold NULL in a setting the reference documents as 1 (on) or 0 (off) on a category`,
		`"Nulls" (nodeID 100): invitations (invite), file upload (filePost), chat history (logged); "Half" (nodeID 101): chat history (logged)`)
	if strings.Contains(stdout, `"Set"`) {
		t.Errorf("doctor names category Set, whose settings are 0 and 1:\n%s", stdout)
	}

	arc := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	out := stdout + stderr
	mustContain(t, "export", out,
		`category "Nulls": invitations (invite), file upload (filePost) and chat history (logged) are NULL, which the reference documents as 1 (on) or 0 (off) on a category, not what NULL means there: exported as off, so the target's category gets 0`,
		`category "Half": chat history (logged) is NULL`)
	if strings.Contains(out, `category "Set"`) {
		t.Errorf("export names category Set, whose settings are 0 and 1:\n%s", out)
	}
	// What the warning says is what the import does.
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QuerySQLite(t, strings.TrimPrefix(tgt, "sqlite:"), `SELECT nodeName, invite, filePost, logged FROM tblNode WHERE nodeType = 1 AND nodeName <> '' ORDER BY nodeName`)
	if want := "[[Half 1 0 0] [Nulls 0 0 0] [Set 0 1 0]]"; fmtRows(got) != want {
		t.Errorf("target categories %v, want %s", fmtRows(got), want)
	}
}

// fmtRows writes rows as [[a b] [c d]].
func fmtRows(rows [][]string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = "[" + strings.Join(r, " ") + "]"
	}
	return "[" + strings.Join(parts, " ") + "]"
}
