package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// valuesPool is a hand-built pool with one room and one message, and
// stmts after them.
func valuesPool(t *testing.T, dir string, stmts ...string) string {
	t.Helper()
	return handSQLPool(t, dir, "source", append([]string{
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblChat VALUES (1000, 2, 637503303671230000, 10, 0, 'again', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 2)`}, stmts...)...)
}

// mustExportRefuse runs an export of src that must fail naming each of
// want and saying nothing was written, and checks that its folder stays
// empty and that no output shows the secret.
func mustExportRefuse(t *testing.T, dir, src, secret string, want ...string) {
	t.Helper()
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := mustRun(t, exitError, "export", "--db", src, "--file", filepath.Join(out, "a.zip"))
	mustContain(t, "export", stderr, append(want, "nothing was written")...)
	if secret != "" && strings.Contains(stdout+stderr, secret) {
		t.Errorf("export shows a database value:\n%s%s", stdout, stderr)
	}
	if entries, err := os.ReadDir(out); err != nil || len(entries) > 0 {
		t.Errorf("the refused export left %v in the archive's folder (%v)", entries, err)
	}
}

// TestDoctorAndExportOnIntegerColumnsHoldingOtherValues: SQLite keeps
// whatever a column is given, so a hand-built embedded pool can hold text
// in tblNode.visibility (a smallint), a number out of a smallint's range
// in behavior, 2 in the bit tblChat.isAlert and 5 in
// tblScopePrincipal.scopeIsDenied. The doctor said "0 FAIL" of it; the
// export stopped at the first with 'read tblNode DB: sql: Scan error on
// column index 11, name "visibility": converting driver.Value type string
// to a int16', naming no row. Now the doctor fails naming each row by
// table, key and column, and the export refuses before writing anything,
// naming them the same way; neither shows the text.
func TestDoctorAndExportOnIntegerColumnsHoldingOtherValues(t *testing.T) {
	dir := t.TempDir()
	const secret = "Password=hunter2"
	src := valuesPool(t, dir,
		`UPDATE tblNode SET visibility = '`+secret+`', behavior = 70000 WHERE nodeID = 1000`,
		`UPDATE tblChat SET isAlert = 2 WHERE chatId = 2`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 5, 1)`)
	rows := []string{
		"tblNode nodeID 1000: behavior 70000 is outside smallint's range, visibility holds text",
		"tblScopePrincipal scopeNodeID 100 scopePrinID 10: scopeIsDenied 5 is not 0 or 1 (bit)",
		"tblChat channelId 1000 chatId 2: isAlert 2 is not 0 or 1 (bit)",
	}
	for _, role := range []string{"source", "target"} {
		stdout, stderr := mustRun(t, exitError, "doctor", "--db", src, "--role", role)
		mustContain(t, "doctor --role "+role, stdout, append([]string{"FAIL  values          3 rows hold values that are not their column's documented type"}, rows...)...)
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("doctor shows a database value:\n%s%s", stdout, stderr)
		}
	}
	mustExportRefuse(t, dir, src, secret, append([]string{"the export refuses"}, rows...)...)
}

// TestExportRefusesAMessageRowItCannotRead: only a message's userId is
// text. The structure reads; the export stopped while writing the
// archive's messages with a Scan error naming no row. Now it refuses
// naming the row, and no part of the archive is left.
func TestExportRefusesAMessageRowItCannotRead(t *testing.T) {
	dir := t.TempDir()
	src := valuesPool(t, dir, `UPDATE tblChat SET userId = 'x10' WHERE chatId = 2`)
	mustExportRefuse(t, dir, src, "x10", "tblChat channelId 1000 chatId 2: userId holds text")
}

// TestExportRefusesANodeTypeOutsideTheBit: a room whose nodeType (a bit)
// is 7 is neither a room nor a category to pcmig's reads. The export
// wrote an archive without it and without a word; now it refuses before
// writing anything, naming the row.
func TestExportRefusesANodeTypeOutsideTheBit(t *testing.T) {
	dir := t.TempDir()
	src := valuesPool(t, dir, `UPDATE tblNode SET nodeType = 7 WHERE nodeID = 1000`)
	mustExportRefuse(t, dir, src, "", "tblNode nodeID 1000: nodeType 7 is not 0 or 1 (bit)")
}

// TestDoctorAndExportOnARoomSettingNotInTblEnumValue: a room whose
// visibility is 9 and another whose behavior is 2 (a visibility value:
// tblEnumValue holds 2, 3 and 6 for visibility, 4 and 5 for behavior).
// The doctor said nothing; the export stopped with 'read room "R1" DB:
// unknown visibility ""' (and, for behavior 2, quoted the value's text
// from tblEnumValue). Now the doctor fails naming each room by name,
// nodeID and value, and the export's error names the row.
func TestDoctorAndExportOnARoomSettingNotInTblEnumValue(t *testing.T) {
	dir := t.TempDir()
	src := valuesPool(t, dir,
		handSQLNode(1001, 100, false, "R2"),
		`UPDATE tblNode SET visibility = 9 WHERE nodeID = 1000`,
		`UPDATE tblNode SET behavior = 2 WHERE nodeID = 1001`)
	for _, role := range []string{"source", "target"} {
		stdout, _ := mustRun(t, exitError, "doctor", "--db", src, "--role", role)
		mustContain(t, "doctor --role "+role, stdout,
			`FAIL  rooms           2 rooms have a visibility or behavior that is not one of tblEnumValue's: "R1" (nodeID 1000) visibility 9; "R2" (nodeID 1001) behavior 2 (visibility: 2, 3 and 6; behavior: 4 and 5)`)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	_, stderr := mustRun(t, exitError, "export", "--db", src, "--file", filepath.Join(out, "a.zip"))
	mustContain(t, "export", stderr, `read room "R1" (nodeID 1000)`, "visibility 9 is not one of tblEnumValue's visibility values")
	if strings.Contains(stderr, `""`) {
		t.Errorf("export quotes an empty value:\n%s", stderr)
	}
}

// TestDoctorAndExportOnGUIDAndDatetimeColumnsHoldingOtherText: a
// principal whose prinGuid is not a GUID, one whose prinVerifiedOn is
// not a datetime, and a room whose nodeGuid is not a GUID (SQLite keeps
// any text there). The doctor said "0 FAIL"; the export stopped at the
// first. Now the doctor's values line names each row, and the export
// refuses naming all of them, nothing written.
func TestDoctorAndExportOnGUIDAndDatetimeColumnsHoldingOtherText(t *testing.T) {
	dir := t.TempDir()
	src := valuesPool(t, dir,
		handSQLUser(11, "sip:b@contoso.com"),
		handSQLUser(12, "sip:c@contoso.com"),
		`UPDATE tblPrincipal SET prinGuid = 'secret-guid' WHERE prinID = 11`,
		`UPDATE tblPrincipal SET prinVerifiedOn = 'yesterday' WHERE prinID = 12`,
		`UPDATE tblNode SET nodeGuid = 'zz' WHERE nodeID = 1000`)
	rows := []string{
		"tblPrincipal prinID 11: prinGuid is not a GUID (8-4-4-4-12 hexadecimal digits)",
		"tblPrincipal prinID 12: prinVerifiedOn is not a datetime",
		"tblNode nodeID 1000: nodeGuid is not a GUID",
	}
	stdout, _ := mustRun(t, exitError, "doctor", "--db", src, "--role", "source")
	mustContain(t, "doctor", stdout, rows...)
	mustExportRefuse(t, dir, src, "secret-guid", append([]string{"3 rows hold values not their column's documented type"}, rows...)...)
}
