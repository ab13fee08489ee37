package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportNamesTheRoomOfAMessageThatIsNotUTF8: a hand-built embedded
// source holds a message whose content is not valid UTF-8 (SQLite keeps
// any bytes; here a UTF-16 surrogate encoded alone). The export refuses
// the pool, rightly, but its error named the room by its GUID only
// ("add message 2 of room bbbbbbbb-...: content: not valid UTF-8"), with
// nothing to say that no archive was written or what to do. Now it names
// the room as the operator knows it, with its nodeID and the chat ID.
func TestExportNamesTheRoomOfAMessageThatIsNotUTF8(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'fine', NULL),
  (1000, 2, 637503303671230001, 10, 0, CAST(X'61EDA08062' AS TEXT), NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 2)`)
	arc := filepath.Join(dir, "a.zip")
	stdout, stderr, code := runCmd(t, "export", "--db", src, "--file", arc)
	out := stdout + stderr
	if code != exitError {
		t.Fatalf("export: exit %d, want %d:\n%s", code, exitError, out)
	}
	mustContain(t, "export", out, `room "Lobby" (nodeID 1000), message 2:`, "not valid UTF-8", "writes no archive")
	if _, err := os.Stat(arc); !os.IsNotExist(err) {
		t.Errorf("the refused export left %s (%v)", arc, err)
	}
	if strings.Contains(out, "\xed") {
		t.Errorf("the error quotes the message's bytes:\n%q", out)
	}
}
