package main

import (
	"strings"
	"testing"
)

// TestDoctorSourceNamesWhatTheExportRefusesOrLeavesOut: a hand-built
// source holds a principal of type AnyUser (documented as never stored:
// the export refuses the pool) and two rooms in no category, one at the
// root and one inside another room, with a message (the export leaves
// them and their history out, and verify does not compare them). The
// doctor, the pre-flight to run before the maintenance window and the
// bundled scripts' first step, said "0 FAIL, 0 WARN" of it before; now it
// fails naming the type and warns naming the rooms. As a target, neither
// line: a target is not exported.
func TestDoctorSourceNamesWhatTheExportRefusesOrLeavesOut(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLPrincipal(24, "sip:anyuser@contoso.com", 2),
		handSQLPrincipal(25, "sip:anyuser2@contoso.com", 2),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		handSQLNode(1001, 1, false, "At root"),
		handSQLNode(1002, 1000, false, "Inside a room"),
		`INSERT INTO tblChat VALUES (1001, 1, 637503303671230000, 10, 0, 'lost', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1001, 1)`)
	stdout, _ := mustRun(t, exitError, "doctor", "--db", src, "--role", "source")
	mustContain(t, "doctor --role source", stdout,
		"FAIL  principals      2 principals are of a type an archive cannot hold: prinTypeID 2 (2 principals)",
		`WARN  rooms           2 rooms are in no category (Persistent Chat keeps every room in one): "At root" (node 1001, parent node 1), "Inside a room" (node 1002, parent node 1000)`)
	stdout, _ = mustRun(t, 0, "doctor", "--db", src, "--role", "target")
	if strings.Contains(stdout, "principals ") || strings.Contains(stdout, "in no category") {
		t.Errorf("doctor --role target has a line about exporting:\n%s", stdout)
	}
}
