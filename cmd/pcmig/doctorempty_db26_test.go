package main

import (
	"path/filepath"
	"testing"
)

// TestDoctorNamesEmptyNamesTheExportRefuses: a hand-built source with an
// empty prinUri, an empty category name, an empty room name (in a
// category) and an empty add-in name. The export refuses each, naming
// it; before, `pcmig doctor --role source` said nothing of them (exit 0,
// 0 FAIL), so the pre-flight passed and the migration stopped at step 1
// in the maintenance window. Now the doctor fails naming each row by
// table and key; a room in no category with an empty name (which the
// export leaves out, not refuses) is not named.
func TestDoctorNamesEmptyNamesTheExportRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(25, ""),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(101, 1, true, ""),
		handSQLNode(1000, 100, false, "R1"),
		handSQLNode(1001, 100, false, ""),
		handSQLNode(1002, 1, false, ""),
		`INSERT INTO tblSiopWhiteList VALUES ('ABCDEF02-0000-4000-8000-000000000002', '', 'https://x.contoso.com/')`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code == 0 {
		t.Errorf("doctor --role source: exit 0, want a FAIL:\n%s", stdout)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  empty names     4 rows are empty where an archive needs a name: tblPrincipal prinID 25: prinUri; tblNode nodeID 101 (a category): nodeName; tblNode nodeID 1001 (a room): nodeName; tblSiopWhiteList siopID abcdef02-0000-4000-8000-000000000002: siopName`)
	mustLack(t, "doctor", stdout, "nodeID 1002 (a room)")
	// What the doctor names is what the export refuses.
	_, stderr := mustRun(t, exitError, "export", "--db", src, "--file", filepath.Join(dir, "a.zip"))
	mustContain(t, "export", stderr,
		"tblPrincipal prinID 25 has an empty prinUri",
		"tblNode nodeID 101, a category, has an empty nodeName",
		`tblNode nodeID 1001, a room of category "Cat", has an empty nodeName`,
		"tblSiopWhiteList siopID abcdef02-0000-4000-8000-000000000002 has an empty siopName")
	// A target is not checked for them: the import writes none of them.
	stdout, _, _ = runCmd(t, "doctor", "--db", src, "--role", "target")
	mustLack(t, "doctor --role target", stdout, "empty names")
}

// TestBlankNamesRefusedByTheExport: a hand-built source whose room and
// add-in are named with spaces only, which SQL Server compares as an
// empty name. Since 59cac45 every import refuses such an archive; before,
// the export wrote it (exit 0) and the doctor said nothing, so the
// migration stopped at step 2, after the export (which may have disabled
// the exported rooms). Now the doctor (source) fails naming the rows and
// the export refuses, writing nothing. A name with spaces around text is
// named by neither.
func TestBlankNamesRefusedByTheExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "   "),
		handSQLNode(1001, 100, false, " Lobby "),
		`INSERT INTO tblSiopWhiteList VALUES ('ABCDEF03-0000-4000-8000-000000000003', '  ', 'https://x.contoso.com/')`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code == 0 {
		t.Errorf("doctor --role source: exit 0, want a FAIL:\n%s", stdout)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  empty names     2 rows are empty where an archive needs a name: tblNode nodeID 1000 (a room): nodeName (spaces only); tblSiopWhiteList siopID abcdef03-0000-4000-8000-000000000003: siopName (spaces only)`)
	mustLack(t, "doctor", stdout, "nodeID 1001 (a room)")
	arc := filepath.Join(dir, "a.zip")
	_, stderr := mustRun(t, exitError, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stderr,
		`tblNode nodeID 1000, a room of category "Cat", has a nodeName of spaces only (SQL Server compares it as an empty name, and every import refuses it)`,
		"tblSiopWhiteList siopID abcdef03-0000-4000-8000-000000000003 has a siopName of spaces only",
		"nothing was written")
	mustLack(t, "export", stderr, "nodeID 1001")
}
