package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRoomAddinNotInWhiteListRefused: a hand-built source whose room
// "Lobby" holds a siopID with no tblSiopWhiteList row (the documented
// foreign key, which an embedded database does not enforce), beside room
// "Wiki" whose siopID names an add-in in another letter case (the same
// GUID). Before, the doctor said nothing, the export wrote "Lobby" with
// no add-in and exit 0, the import created it without one, and only
// verify said DIFFERENT. Now the doctor (source) fails naming the room
// and siopID, and the export refuses, naming the row, writing nothing;
// "Wiki" is named by neither, and carries its add-in.
func TestRoomAddinNotInWhiteListRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rows := []string{
		handSQLUser(10, "sip:a@contoso.com"),
		`INSERT INTO tblSiopWhiteList VALUES ('ABCDEF01-0000-4000-8000-000000000001', 'Wiki', 'https://wiki.contoso.com/')`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1001, 100, false, "Wiki"),
		`UPDATE tblNode SET siopID = 'abcdef01-0000-4000-8000-000000000001' WHERE nodeID = 1001`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
	}
	src := handSQLPool(t, dir, "source", append(rows,
		handSQLNode(1000, 100, false, "Lobby"),
		`UPDATE tblNode SET siopID = 'DEADBEEF-0000-4000-8000-000000000000' WHERE nodeID = 1000`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)...)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code == 0 {
		t.Errorf("doctor --role source: exit 0, want a FAIL:\n%s", stdout)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  add-ins         1 room names an add-in (tblNode.siopID) that is not in tblSiopWhiteList: "Lobby" (nodeID 1000) siopID deadbeef-0000-4000-8000-000000000000`)
	mustLack(t, "doctor", stdout, `"Wiki" (nodeID 1001)`)

	arc := filepath.Join(dir, "a.zip")
	_, stderr := mustRun(t, exitError, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stderr,
		`tblNode nodeID 1000, room "Lobby", has siopID deadbeef-0000-4000-8000-000000000000, which is not in tblSiopWhiteList`,
		"nothing was written")
	mustLack(t, "export", stderr, "nodeID 1001")
	if _, err := os.Stat(arc); !os.IsNotExist(err) {
		t.Errorf("the refused export left an archive: %v", err)
	}

	// The same pool without "Lobby": "Wiki" keeps its add-in end to end.
	dir2 := t.TempDir()
	src2 := handSQLPool(t, dir2, "source", rows...)
	stdout, _, code = runCmd(t, "doctor", "--db", src2, "--role", "source")
	if code != 0 {
		t.Errorf("doctor of the pool without Lobby: exit %d:\n%s", code, stdout)
	}
	arc2 := filepath.Join(dir2, "a.zip")
	mustRun(t, 0, "export", "--db", src2, "--file", arc2)
	tgt := handSQLPool(t, dir2, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc2)
	stdout, _ = mustRun(t, 0, "verify", "--source", src2, "--target", tgt, "--archive", arc2)
	mustContain(t, "verify", stdout, "EQUAL")
}

// mustLack fails when s holds any of unwanted.
func mustLack(t *testing.T, what, s string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(s, u) {
			t.Errorf("%s: holds %q:\n%s", what, u, s)
		}
	}
}
