package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestImportRefusesPrincipalIDOverflowBeforeWriting: the target's largest
// prinID is 2,147,483,646 (tblPrincipal.prinID is an int, largest
// 2,147,483,647) and the archive brings three principals the target does
// not hold. The import was refused only when the store allocated their
// IDs, after it had written the import journal, which then said the three
// were created (verify trusts that list), and a dry run said "Would
// import" (exit 2) where the real import fails. Now the pre-flight
// refuses, naming the principals needed and the largest prinID, before
// anything is written, the journal included; a dry run says so too.
func TestImportRefusesPrincipalIDOverflowBeforeWriting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(11, "sip:b@contoso.com"),
		handSQLPrincipal(12, "ma-grp:g@contoso.com", 9),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1), (1000, 11, 1, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 12, 0, 1), (100, 10, 0, 1), (100, 11, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'one', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	tgt := handSQLPool(t, dir, "target", handSQLUser(2147483646, "sip:high@contoso.com"))
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	db := strings.TrimPrefix(tgt, "sqlite:")
	before := labtest.QuerySQLite(t, db, `SELECT COUNT(*) FROM tblPrincipal`)
	for _, args := range [][]string{{"--dry-run"}, nil} {
		stdout, stderr, code := runCmd(t, append([]string{"import", "--db", tgt, "--file", arc}, args...)...)
		out := stdout + stderr
		if code != exitError || !strings.Contains(out, "3 new principals") || !strings.Contains(out, "2147483646") ||
			!strings.Contains(out, "nothing was written") {
			t.Errorf("import %v: exit %d, want %d and a pre-flight error naming 3 new principals and the largest prinID 2147483646:\n%s", args, code, exitError, out)
		}
	}
	if got := labtest.QuerySQLite(t, db, `SELECT COUNT(*) FROM tblPrincipal`); len(got) != 1 || got[0][0] != before[0][0] {
		t.Errorf("the target's principals after the refused import: %v, want %v (unchanged)", got, before)
	}
	journals, err := filepath.Glob(arc + ".import-*")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range journals {
		data, _ := os.ReadFile(j)
		t.Errorf("the refused import left a journal %s: %s", filepath.Base(j), data)
	}
}
