package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLeastDatetimeKeptInAnEmbeddedTarget: a source principal whose
// prinVerifiedOn is SQL Server's least datetime (1753-01-01) is archived
// as 0001-01-01T00:00:00Z (docs/archive-format.md §2: pcmig reads that
// instant so, and imports it as 1753-01-01). An embedded target got
// 0001-01-01, a value no SQL Server datetime holds; it now gets
// 1753-01-01, as a SQL Server target does.
func TestLeastDatetimeKeptInAnEmbeddedTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:least@contoso.com"),
		`UPDATE tblPrincipal SET prinVerifiedOn = '1753-01-01 00:00:00' WHERE prinID = 10`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	a := filepath.Join(dir, "a.zip")
	mustRun(t, exitOK, "export", "--db", src, "--file", a)
	mustContain(t, "principals.jsonl", string(zipEntry(t, a, "principals.jsonl")), `"uri":"sip:least@contoso.com"`, `"verified_on":"0001-01-01T00:00:00Z"`)
	target := filepath.Join(labEstate(t, "--messages", "20"), "target-2019.db")
	mustRun(t, exitOK, "import", "--db", "sqlite:"+target, "--file", a)
	got := sqliteQuery(t, target, `SELECT prinVerifiedOn FROM tblPrincipal WHERE prinUri = 'sip:least@contoso.com'`)
	if !strings.HasPrefix(strings.ToLower(got), "1753-01-01t00:00:00") {
		t.Errorf("the target's prinVerifiedOn is %q, want 1753-01-01 (SQL Server's least datetime, as the source held)", got)
	}
	// Read back (a second export of the target), it is the archive's
	// 0001-01-01 again.
	b := filepath.Join(dir, "b.zip")
	mustRun(t, exitOK, "export", "--db", "sqlite:"+target, "--file", b)
	mustContain(t, "target's principals.jsonl", string(zipEntry(t, b, "principals.jsonl")), `"uri":"sip:least@contoso.com","type":"User","state":0,"pool_id":null,"policy_id":null,"added_by":"","added_on":"637503303671230000","updated_by":"","updated_on":"637503303671230000","verified_on":"0001-01-01T00:00:00Z"`)
}
