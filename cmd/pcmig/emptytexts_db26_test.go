package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestPrincipalEmptyStringsAreNamed: a hand-built source whose user
// prinID 12 holds an empty string (not NULL) in prinName and prinEmail, beside prinID
// 11 whose columns are NULL and prinID 10 with values. An archive holds an
// empty text as none, so the import created prinID 12 with NULL there and
// verify said EQUAL: before, neither the doctor nor the export said so.
// Now the doctor (source) warns and the export warns naming the
// principal and its columns; what they say is what the target holds.
func TestPrincipalEmptyStringsAreNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		`UPDATE tblPrincipal SET prinName = 'A', prinEmail = 'a@contoso.com' WHERE prinID = 10`,
		handSQLUser(11, "sip:b@contoso.com"),
		handSQLUser(12, "sip:c@contoso.com"),
		`UPDATE tblPrincipal SET prinName = '', prinEmail = '' WHERE prinID = 12`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		`INSERT INTO tblScopePrincipal VALUES (100, 12, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 12, 1, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 12, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != 0 {
		t.Errorf("doctor: exit %d, want 0 (a warning):\n%s", code, stdout)
	}
	mustContain(t, "doctor", stdout,
		`WARN  principal texts 1 principal holds an empty string (not NULL) in a nullable text column: prinID 12: prinName, prinEmail`)
	mustLack(t, "doctor", stdout, "prinID 10:", "prinID 11:")

	arc := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stdout+stderr,
		`1 principal holds an empty string (not NULL) in a nullable text column: prinID 12: prinName, prinEmail: exported as none (an archive holds an empty text as none), so the principals the import creates get NULL there`)
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QueryNullable(t, strings.TrimPrefix(tgt, "sqlite:"), `SELECT prinName, prinEmail FROM tblPrincipal WHERE prinUri = 'sip:c@contoso.com'`)
	if len(got) != 1 || got[0][0].Valid || got[0][1].Valid {
		t.Errorf("target's sip:c@contoso.com name and e-mail: %v, want NULL as the warning says", got)
	}
}
