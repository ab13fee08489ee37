package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestPrincipalAddedByNullCarried: tblPrincipal.prinAddedBy and
// prinUpdatedBy are documented NULL-able. A hand-built source: prinID 10
// with both NULL, 11 with both 1 (the system user), 12 with NULL and 1,
// 13 with 10 and 11 (other principals). Before, every principal the
// import created got 1 in both, NULL or not, without a word. Now NULL is
// carried (the archive's principal holds "added_by": "" / "updated_by":
// ""), the system user stays 1, and another principal, which an archive
// has no place for, becomes 1 with an export warning naming it.
func TestPrincipalAddedByNullCarried(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(11, "sip:b@contoso.com"),
		`UPDATE tblPrincipal SET prinAddedBy = 1, prinUpdatedBy = 1 WHERE prinID = 11`,
		handSQLUser(12, "sip:c@contoso.com"),
		`UPDATE tblPrincipal SET prinUpdatedBy = 1 WHERE prinID = 12`,
		handSQLUser(13, "sip:d@contoso.com"),
		`UPDATE tblPrincipal SET prinAddedBy = 10, prinUpdatedBy = 11 WHERE prinID = 13`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	arc := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stdout+stderr,
		"1 principal has a creator or last updater other than the system user (prinID 1) or NULL: prinID 13: prinAddedBy 10, prinUpdatedBy 11: exported as the system user")
	mustLack(t, "export", stdout+stderr, "prinID 10:", "prinID 11:", "prinID 12:")
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QueryNullable(t, strings.TrimPrefix(tgt, "sqlite:"),
		`SELECT prinUri, prinAddedBy, prinUpdatedBy FROM tblPrincipal WHERE prinUri LIKE 'sip:_@contoso.com' ORDER BY prinUri`)
	var lines []string
	for _, r := range got {
		row := r[0].String
		for _, v := range r[1:] {
			if v.Valid {
				row += " " + v.String
			} else {
				row += " NULL"
			}
		}
		lines = append(lines, row)
	}
	want := "sip:a@contoso.com NULL NULL|sip:b@contoso.com 1 1|sip:c@contoso.com NULL 1|sip:d@contoso.com 1 1"
	if g := strings.Join(lines, "|"); g != want {
		t.Errorf("target's principals (URI, prinAddedBy, prinUpdatedBy):\n got %s\nwant %s", g, want)
	}
	mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
}
