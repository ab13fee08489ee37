package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportRefusesAPrincipalStateOutsideTheDocumentedOnes: a hand-built
// source holds a principal whose prinDisabled is 7 (documented: 0
// active, 1 disabled, 2 deleted; a smallint holds any other number). The
// export refuses before writing anything and names the row by prinID
// with the value; before, it stopped inside the archive writer with 'add
// principal "GUID": state: want 0 (active), 1 (disabled) or 2 (deleted)',
// naming neither the row nor that nothing was written. The doctor of the
// source says so beforehand; of a target, it warns.
func TestExportRefusesAPrincipalStateOutsideTheDocumentedOnes(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(11, "sip:b@contoso.com"),
		`UPDATE tblPrincipal SET prinDisabled = 7 WHERE prinID = 11`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	_, stderr := mustRun(t, exitError, "export", "--db", src, "--file", filepath.Join(out, "a.zip"))
	mustContain(t, "export", stderr,
		"tblPrincipal prinID 11 (sip:b@contoso.com) has prinDisabled 7: the documented states are 0 (active), 1 (disabled) and 2 (deleted)",
		"nothing was written")
	if entries, err := os.ReadDir(out); err != nil || len(entries) > 0 {
		t.Errorf("the refused export left %v in the archive's folder (%v)", entries, err)
	}
	stdout, _ := mustRun(t, exitError, "doctor", "--db", src, "--role", "source")
	mustContain(t, "doctor --role source", stdout,
		"FAIL  principals      1 principal has a prinDisabled outside the documented 0 (active), 1 (disabled) and 2 (deleted): prinID 11 (prinDisabled 7)")
	stdout, _ = mustRun(t, 0, "doctor", "--db", src, "--role", "target")
	if !strings.Contains(stdout, "WARN  principals      1 principal has a prinDisabled outside") {
		t.Errorf("doctor --role target lacks the principals warning:\n%s", stdout)
	}
}
