package main

import (
	"path/filepath"
	"regexp"
	"testing"
)

// TestRoomInvitationsUnderACategoryWithoutThem: a hand-built source whose
// room has invite 1 in a category with invite 0. The reference documents
// a room's invite as 0 or NULL, says a category with invitations off lets
// no room turn them on, and that the cmdlet import sets a room's
// invitations its category does not allow to false with a warning. The
// export carried it as True without a word; it now carries False and
// warns naming the room, and verify expects False (with a note), EQUAL.
// A room with invite 1 in a category with invitations on stays True.
func TestRoomInvitationsUnderACategoryWithoutThem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Off"),
		handSQLNode(101, 1, true, "On"),
		handSQLNode(1000, 100, false, "Turned On"),
		handSQLNode(1001, 100, false, "Inherits"),
		handSQLNode(1002, 101, false, "Allowed"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 1 WHERE nodeID = 100`,
		`UPDATE tblNode SET invite = 1, logged = 1, filePost = 1 WHERE nodeID = 101`,
		`UPDATE tblNode SET invite = 1 WHERE nodeID IN (1000, 1002)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	a := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, exitOK, "export", "--db", src, "--file", a)
	mustContain(t, "export", stdout+stderr, `room "Turned On": invitations on (invite 1) in category "Off", whose invitations are off: exported as False`)
	mustLack(t, "export", stdout+stderr, `room "Allowed": invitations`, `room "Inherits": invitations`)
	rooms := string(zipEntry(t, a, "rooms.jsonl"))
	for name, want := range map[string]string{"Turned On": "False", "Inherits": "Inherit", "Allowed": "True"} {
		if !regexp.MustCompile(`"name":"` + name + `".*"invitations":"` + want + `"`).MatchString(rooms) {
			t.Errorf("rooms.jsonl: room %s's invitations are not %s:\n%s", name, want, rooms)
		}
	}
	target := filepath.Join(dir, "target.db")
	mustRun(t, exitOK, "import", "--db", "sqlite:"+target, "--file", a)
	if got := sqliteQuery(t, target, `SELECT coalesce(invite, 'NULL') FROM tblNode WHERE nodeName = 'Turned On'`); got != "0" {
		t.Errorf("the target room's invite is %s, want 0", got)
	}
	stdout, _ = mustRun(t, exitOK, "verify", "--source", src, "--target", "sqlite:"+target, "--archive", a)
	mustContain(t, "verify", stdout, "EQUAL", `room Turned On: invitations on in the source under category "Off", whose invitations are off: exported as False, so False is expected`)
}
