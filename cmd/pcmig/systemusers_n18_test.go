package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestImportAndVerifyNameExtraSystemUsers: a hand-built source holds,
// besides its own system user (prinID 1), a second SystemUser principal
// (sip:pchatsvc, prinID 2) that posted two messages and is a room's
// member, and an ordinary address marked SystemUser (sip:alice, prinID
// 11) that posted one. The match rule (internal/prinmatch) credits every
// system user the target does not hold to the target's system user
// (prinID 1): the target has one. That stays, but it was silent (no
// warning, verify EQUAL with no word); now the import warns once, naming
// each principal credited to the target's system user with its messages
// and roles, and verify notes it.
func TestImportAndVerifyNameExtraSystemUsers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLPrincipal(2, "sip:pchatsvc@contoso.com", 4),
		handSQLPrincipal(11, "sip:alice@contoso.com", 4),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1), (1000, 2, 1, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (100, 2, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'user', NULL), (1000, 2, 637503303671230001, 2, 0, 'svc 1', NULL),
  (1000, 3, 637503303671230002, 2, 0, 'svc 2', NULL), (1000, 4, 637503303671230003, 11, 0, 'alice', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 4)`)
	tgt := handSQLPool(t, dir, "target")
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	stdout, stderr := mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	mustContain(t, "import", stdout+stderr,
		"3 principals of the archive are credited to the target's system user (prinID 1)",
		"sip:pchatsvc@contoso.com (GUID 00000002-1111-4111-8111-000000000002, SystemUser): 2 messages, 1 role, 1 allowed or denied entry",
		"sip:alice@contoso.com (GUID 0000000b-1111-4111-8111-00000000000b, SystemUser): 1 message, 0 roles, 0 allowed or denied entries")
	// The messages are the target system user's, as before.
	if got := sqlRows(t, strings.TrimPrefix(tgt, "sqlite:"), `SELECT COUNT(*) FROM tblChat WHERE userId = 1`); strings.Join(got, "") != "3" {
		t.Errorf("messages of the target's system user: %v, want 3", got)
	}
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout, "note: source: 3 principals of the archive are credited to the target's system user (prinID 1)",
		"sip:pchatsvc@contoso.com (GUID 00000002-1111-4111-8111-000000000002)", "sip:alice@contoso.com", "EQUAL")
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt)
	mustContain(t, "verify without --archive", stdout, "note: source: 3 principals of the source are credited to the target's system user (prinID 1)")
}

// TestImportAndVerifyNameASystemUserWithAnADPath: the archive's only
// system user (the source's prinID 1) has an AD path and a user principal
// name, which the reference says system users do not have (prinADPath is
// NULL for non-AD types; the UPN is for regular users): an AD user marked
// SystemUser by a damaged or hostile pool. The rule credits it to the
// target's system user, and with one such principal nothing was said;
// now the import warns and verify notes it, as for a second system user.
func TestImportAndVerifyNameASystemUserWithAnADPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		`UPDATE tblPrincipal SET prinUri = 'sip:alice@contoso.com', prinADPath = 'CN=Alice,OU=Users,DC=contoso,DC=com',
  prinADUserPrincipalName = 'alice@contoso.com' WHERE prinID = 1 AND prinTypeID = 4`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'user', NULL), (1000, 2, 637503303671230001, 1, 0, 'alice', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 2)`)
	if got := sqlRows(t, strings.TrimPrefix(src, "sqlite:"), `SELECT COUNT(*) FROM tblPrincipal WHERE prinTypeID = 4 AND prinADPath IS NOT NULL`); strings.Join(got, "") != "1" {
		t.Fatalf("the hand-built source's system users with an AD path: %v, want 1", got)
	}
	tgt := handSQLPool(t, dir, "target")
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	stdout, stderr := mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	mustContain(t, "import", stdout+stderr, "sip:alice@contoso.com", "AD path or user principal name", "credited to the target's system user (prinID 1)")
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout, "note: source: 1 principal of the archive is credited to the target's system user (prinID 1)",
		"sip:alice@contoso.com", "AD path or user principal name", "EQUAL")
}
