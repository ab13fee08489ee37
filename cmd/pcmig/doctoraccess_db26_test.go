package main

import (
	"path/filepath"
	"testing"
)

// TestDoctorNamesRoleEntriesNoExportCarries: a hand-built source holding
// role grants and allowed/denied entries that no export carries: a
// manager and an allowed member on the root node, a member granted on
// category "Cat" itself, a denied member and a creator on room "Lobby", a
// grant of an extra role type (tblRoleType 9 'Owner'), and a grant and an
// entry on nodeIDs 5555 and 5556, which are not in tblNode. The export
// names the first kinds per node (uncarried_access); before, the doctor
// said nothing of any of them (0 WARN), and nothing at all named the
// entries of missing nodes, though store.UncarriedAccess leaves them to
// "the doctor's business". Now the doctor (source) warns of both; for a
// target only the entries of missing nodes are named.
func TestDoctorNamesRoleEntriesNoExportCarries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(11, "sip:b@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		handSQLNode(1001, 100, false, "Plain"),
		`INSERT INTO tblRoleType VALUES (9, 'Owner', 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1001, 10, 1, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1, 10, 2, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (1, 11, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (100, 11, 1, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (1000, 11, 1, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 11, 4, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 9, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (5555, 10, 1, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (5556, 10, 0, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != 0 {
		t.Errorf("doctor: exit %d, want 0 (warnings):\n%s", code, stdout)
	}
	mustContain(t, "doctor", stdout,
		`WARN  uncarried roles 3 nodes hold role grants or allowed/denied entries an archive has no place for: root node 1: 1 allowed member, 1 manager; category "Cat" (nodeID 100): 1 member; room "Lobby" (nodeID 1000): 1 creator, 1 denied member, 1 role type 9`,
		`WARN  role entries    2 role or allowed/denied entries name 2 nodeIDs not in tblNode: 5555 (1 entry), 5556 (1 entry)`)
	mustLack(t, "doctor", stdout, `"Plain"`)
	// What the doctor names is what the export leaves behind.
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", filepath.Join(dir, "a.zip"))
	mustContain(t, "export", stdout+stderr, `root node: 1 allowed member, 1 manager: not exported`, `room "Lobby": 1 creator, 1 denied member, 1 role type 9: not exported`)

	stdout, _, _ = runCmd(t, "doctor", "--db", src, "--role", "target")
	mustContain(t, "doctor --role target", stdout, `WARN  role entries    2 role or allowed/denied entries name 2 nodeIDs not in tblNode`)
	mustLack(t, "doctor --role target", stdout, "uncarried roles")
}
