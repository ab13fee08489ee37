package main

import (
	"path/filepath"
	"testing"
)

// TestRoomInvitationsOnInCategoryWithThemOff: a room's tblNode.invite 1
// (True, which Set-CsPersistentChatRoom cannot set) in a category whose
// invitations are off breaks the documented rule that a room cannot turn
// on invitations its category turns off. The export carries it as False
// with a warning (9b329c1), but the doctor, the pre-flight run before the
// maintenance window, said nothing of it. Now it names each such room.
func TestRoomInvitationsOnInCategoryWithThemOff(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Off"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		handSQLNode(101, 1, true, "On"),
		`UPDATE tblNode SET invite = 1, logged = 1, filePost = 0 WHERE nodeID = 101`,
		handSQLNode(1000, 100, false, "Turned on"),
		`UPDATE tblNode SET invite = 1 WHERE nodeID = 1000`,
		handSQLNode(1001, 101, false, "Fine on"),
		`UPDATE tblNode SET invite = 1 WHERE nodeID = 1001`,
		handSQLNode(1002, 100, false, "Fine off"),
		`UPDATE tblNode SET invite = 0 WHERE nodeID = 1002`)
	tgt := handSQLPool(t, dir, "target")

	stdout, _ := mustRun(t, 0, "doctor", "--db", src, "--role", "source")
	mustContain(t, "doctor", stdout, `"Turned on" (nodeID 1000) in category "Off"`)
	mustLack(t, "doctor", stdout, `"Fine on"`, `"Fine off"`)

	archive := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", archive)
	mustContain(t, "export", stdout+stderr, `room "Turned on": invitations on (invite 1) in category "Off"`)
	mustRun(t, 0, "import", "--db", tgt, "--file", archive)
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt)
	mustContain(t, "verify", stdout, "EQUAL")
}
