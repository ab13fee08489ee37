package main

import (
	"strings"
	"testing"
)

// TestDoctorNamesTextTheExportOrImportRefuses: a hand-built pool (SQLite
// keeps any bytes and any length in TEXT) whose category name is not
// valid UTF-8, whose room description is 300 characters (nvarchar(256)
// documented) and whose principal's display name holds invalid bytes
// after text that reads like a secret. The doctor said 0 FAIL, 0 WARN of
// it while the export refused the first and the import the second. Now
// its "text" line fails on the invalid bytes and warns on the length,
// naming each row by table, key and column and never showing a value.
func TestDoctorNamesTextTheExportOrImportRefuses(t *testing.T) {
	dir := t.TempDir()
	db := handSQLPool(t, dir, "pool",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`UPDATE tblNode SET nodeName = CAST(X'436174ff' AS TEXT) WHERE nodeID = 100`,
		`UPDATE tblNode SET nodeDesc = '`+strings.Repeat("é", 300)+`' WHERE nodeID = 1000`,
		`UPDATE tblPrincipal SET prinDisplayName = CAST(X'50617373776f72643d68756e746572328081' AS TEXT) WHERE prinID = 10`)
	for _, role := range []string{"source", "target"} {
		stdout, stderr := mustRun(t, exitError, "doctor", "--db", db, "--role", role)
		mustContain(t, "doctor --role "+role, stdout,
			"FAIL  text            2 rows hold text that is not valid UTF-8 (values are not shown): tblNode nodeID 100: nodeName is not valid UTF-8; tblPrincipal prinID 10: prinDisplayName is not valid UTF-8",
			"the export refuses the pool",
			"WARN  text            1 row holds text longer than its documented column (values are not shown): tblNode nodeID 1000: nodeDesc has 300 characters, over nvarchar(256)",
			"the import refuses it")
		if strings.Contains(stdout+stderr, "hunter2") || strings.Contains(stdout+stderr, "éé") {
			t.Errorf("doctor --role %s shows a value:\n%s\n%s", role, stdout, stderr)
		}
	}
	clean := handSQLPool(t, dir, "clean", handSQLUser(10, "sip:a@contoso.com"), handSQLNode(100, 1, true, "Cat"))
	stdout, _ := mustRun(t, 0, "doctor", "--db", clean)
	mustContain(t, "doctor of a clean pool", stdout, "OK    text            every name, description, principal and add-in text is valid UTF-8 and fits its documented column")
}
