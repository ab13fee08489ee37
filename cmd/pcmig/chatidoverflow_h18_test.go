package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusesChatIDOverflow: the target already holds the archive's
// room (same GUID, so the import merges into it) and that room's chat IDs
// end at 2^63-2, which tblChat.chatId (bigint) and tblLastChatId allow.
// Appending the archive's 3 messages after it needs 2^63-1, 2^63 and
// 2^63+1: the import must refuse, naming the room, and write nothing.
//
// Found by the hostile audit (hostile18): store.AppendRoomMessages
// computes lasts[room]+1+k in int64 without a check, so the IDs wrap to
// -9223372036854775808 and -9223372036854775807; the import reports
// success, the two messages sort before the room's whole history, and
// tblLastChatId is left at a negative value.
func TestImportRefusesChatIDOverflow(t *testing.T) {

	dir := t.TempDir()
	rows := []string{
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
	}
	src := handSQLPool(t, dir, "source", append(rows,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'one', NULL), (1000, 2, 637503303671230001, 10, 0, 'two', NULL),
  (1000, 3, 637503303671230002, 10, 0, 'three', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 3)`)...)
	tgt := handSQLPool(t, dir, "target", append(rows,
		`INSERT INTO tblChat VALUES (1000, 9223372036854775806, 637503303671220000, 10, 0, 'the target''s last', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 9223372036854775806)`)...)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	stdout, stderr, code := runCmd(t, "import", "--db", tgt, "--file", arc)
	if out := stdout + stderr; code != exitError || !strings.Contains(out, "room R1") || !strings.Contains(out, "largest chat ID") ||
		!strings.Contains(out, "nothing was written") {
		t.Errorf("import exit %d, want %d and an error naming room R1 and its chat IDs:\n%s", code, exitError, out)
	}
	var got []string
	db := openDB(t, strings.TrimPrefix(tgt, "sqlite:"))
	r, err := db.Query(`SELECT chatId FROM tblChat UNION ALL SELECT lastChatID FROM tblLastChatId`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var id string
		if err := r.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
	}
	if strings.Join(got, " ") != "9223372036854775806 9223372036854775806" {
		t.Errorf("the target's chat IDs and last chat ID after the refused import: %v, want them unchanged", got)
	}
}
