package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestRoomCategorySettingsAreNamed: a hand-built source whose room "Lobby"
// holds logged 1 and filePost 0, and room "Half" filePost 1 (the
// reference documents both as NULL on a room: they are a category's chat
// history and file upload). An archive has no place for them, so the
// export left them out and the target's rooms got NULL, silently: the
// doctor said 0 WARN, the export no warning (verify does not compare
// them, as docs/lua-api.md says). Now the doctor (source) and the export
// name each such room and value; a room of NULLs is named by neither.
func TestRoomCategorySettingsAreNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`UPDATE tblNode SET invite = 1, logged = 1, filePost = 1 WHERE nodeID = 100`,
		handSQLNode(1000, 100, false, "Lobby"),
		handSQLNode(1001, 100, false, "Half"),
		handSQLNode(1002, 100, false, "Plain"),
		`UPDATE tblNode SET logged = 1, filePost = 0 WHERE nodeID = 1000`,
		`UPDATE tblNode SET filePost = 1 WHERE nodeID = 1001`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 1, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != 0 {
		t.Fatalf("doctor: exit %d:\n%s", code, stdout)
	}
	mustContain(t, "doctor", stdout,
		`WARN  rooms           2 rooms hold a value in logged or filePost, which the reference documents as NULL on a room`,
		`"Lobby" (nodeID 1000): chat history (logged) 1, file upload (filePost) 0; "Half" (nodeID 1001): file upload (filePost) 1`)
	if strings.Contains(stdout, `"Plain"`) {
		t.Errorf("doctor names room Plain, whose logged and filePost are NULL:\n%s", stdout)
	}

	arc := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	out := stdout + stderr
	mustContain(t, "export", out,
		`room "Lobby": chat history (logged) 1 and file upload (filePost) 0 are set, which the reference documents as NULL on a room (they are a category's settings): not exported (an archive has no place for them), the target's room gets NULL`,
		`room "Half": file upload (filePost) 1 is set`)
	if strings.Contains(out, `room "Plain"`) {
		t.Errorf("export names room Plain, whose logged and filePost are NULL:\n%s", out)
	}
	// A Category export reads no rooms and says nothing of them.
	stdout, stderr = mustRun(t, 0, "export", "--db", src, "--file", filepath.Join(dir, "c.zip"), "--level", "Category")
	if strings.Contains(stdout+stderr, `room "Lobby"`) {
		t.Errorf("a Category export names room Lobby:\n%s", stdout+stderr)
	}
	// What the warning says is what the import does.
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QueryNullable(t, strings.TrimPrefix(tgt, "sqlite:"), `SELECT COUNT(*) FROM tblNode WHERE nodeType = 0 AND (logged IS NOT NULL OR filePost IS NOT NULL)`)
	if len(got) != 1 || got[0][0].String != "0" {
		t.Errorf("target rooms with logged or filePost set: %v, want 0", got)
	}
}
