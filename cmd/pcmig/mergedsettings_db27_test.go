package main

import (
	"path/filepath"
	"testing"
)

// TestVerifyNotesMergedSettings: a source category and room merged into a
// target's of the same name (the default --on-conflict merge) keep the
// target's settings: the import says so as a conflict. Before, verify
// said EQUAL with no word of the source's settings that did not arrive
// (category invitations, file upload, chat history, description; room
// privacy, invitations, add-in). Now a note names each, source and target
// value; a merged room whose settings are the source's gets no such note.
func TestVerifyNotesMergedSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		`INSERT INTO tblSiopWhiteList VALUES ('ABCDEF01-0000-4000-8000-000000000001', 'Poll', 'https://a.contoso.com/')`,
		`INSERT INTO tblNode VALUES (100, 'BBBBBBBB-0000-4000-8000-000000000100', 1, 1, 'Cat', 'the source''s', 1, 1, 0, 0, 4, 6, NULL, 1, 637503303671230000, 1, 637503303671230000, NULL)`,
		`INSERT INTO tblNode VALUES (1000, 'BBBBBBBB-0000-4000-8000-000000001000', 100, 0, 'Lobby', '', 0, NULL, NULL, 0, 4, 3, 'ABCDEF01-0000-4000-8000-000000000001', 1, 637503303671230000, 1, 637503303671230000, NULL)`,
		handSQLNode(1001, 100, false, "Same"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	tgt := handSQLPool(t, dir, "target",
		`INSERT INTO tblNode VALUES (200, 'CCCCCCCC-0000-4000-8000-000000000200', 1, 1, 'Cat', '', 0, 1, 0, 0, 4, 6, NULL, 1, 0, 1, 0, NULL)`,
		`INSERT INTO tblNode VALUES (2000, 'CCCCCCCC-0000-4000-8000-000000002000', 200, 0, 'Lobby', '', NULL, NULL, NULL, 0, 4, 6, NULL, 1, 0, 1, 0, NULL)`,
		`INSERT INTO tblNode VALUES (2001, 'CCCCCCCC-0000-4000-8000-000000002001', 200, 0, 'Same', '', NULL, NULL, NULL, 0, 4, 6, NULL, 1, 0, 1, 0, NULL)`)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	stdout, _ := mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout,
		`note: source: category Cat was merged into the target's category "Cat", whose settings the import keeps: description differs; invitations on in the source, off in the target; not compared`,
		`note: source: room Lobby was merged into the target's room "Lobby", whose settings the import keeps: privacy Closed in the source, Open in the target; invitations False in the source, Inherit in the target; add-in "Poll" in the source, none in the target; not compared`,
		"EQUAL")
	mustLack(t, "verify", stdout, `room Same was merged`, "chat history on", "file upload off")
}
