package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/internal/labtest"
)

// restoredPools makes a source and a target restored from the source's
// backup (same GUIDs), then lets their histories part: the source gets 5
// new messages in room "grown", the target another history (every message
// changed) in room "changed" and 3 messages of its own in room "posted". It returns the
// estate folder, the target's path, the archive of the source and the
// rooms' IDs and message counts in the backup.
func restoredPools(t *testing.T) (est, target, zip string, rooms map[string]restoredRoom) {
	t.Helper()
	est = labEstate(t, "--messages", "600")
	src := filepath.Join(est, "source-2015.db")
	target = filepath.Join(t.TempDir(), "restored.db")
	labtest.CopyFile(t, src, target)
	sdb := openDBWrite(t, src)
	rows, err := sdb.Query(`SELECT c.channelId, n.nodeName, COUNT(*) FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId
GROUP BY c.channelId, n.nodeName ORDER BY COUNT(*) DESC, c.channelId LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	rooms = map[string]restoredRoom{}
	for i := 0; rows.Next(); i++ {
		var r restoredRoom
		if err := rows.Scan(&r.id, &r.name, &r.messages); err != nil {
			t.Fatal(err)
		}
		rooms[[]string{"grown", "changed", "posted"}[i]] = r
	}
	if err := rows.Close(); err != nil || len(rooms) != 3 {
		t.Fatalf("rooms %v: %v", rooms, err)
	}
	appendMessages(t, sdb, rooms["grown"].id, 5, "posted in the source after the backup")
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
	tdb := openDBWrite(t, target)
	if _, err := tdb.Exec(`UPDATE tblChat SET content = 'another history ' || chatId WHERE channelId = ?`, rooms["changed"].id); err != nil {
		t.Fatal(err)
	}
	appendMessages(t, tdb, rooms["posted"].id, 3, "posted in the target after the restore")
	if err := tdb.Close(); err != nil {
		t.Fatal(err)
	}
	zip = filepath.Join(t.TempDir(), "pchat.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
	return est, target, zip, rooms
}

type restoredRoom struct {
	id       int32
	name     string
	messages int64
}

// appendMessages adds n messages to a room with plain SQL, as a server
// would: the next chat IDs, tblLastChatId moved on.
func appendMessages(t *testing.T, db *sql.DB, room int32, n int, content string) {
	t.Helper()
	for i := range n {
		if _, err := db.Exec(`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + 1, chatDate + 10000000, userId, 0, ?, NULL FROM tblChat WHERE channelId = ? ORDER BY chatId DESC LIMIT 1`,
			fmt.Sprintf("%s %d", content, i), room); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?) WHERE nodeID = ?`, room, room); err != nil {
		t.Fatal(err)
	}
}

func roomMessages(t *testing.T, path string, room int32) int64 {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	return queryInt(t, db, `SELECT COUNT(*) FROM tblChat WHERE channelId = ?`, room)
}

// TestImportIntoARestoredCopyVerifiesTheHistory: the target was restored
// from the source's backup, so its rooms have the archive's GUIDs and no
// import journal exists. The import compares the messages already there
// with the archive's instead of assuming they came from an earlier import:
// every archive message is looked for in the room; what is there is not
// imported again, what is not is added, and a room that holds none of the
// archive's messages, only others, has another history: a conflict under
// --on-conflict.
func TestImportIntoARestoredCopyVerifiesTheHistory(t *testing.T) {
	t.Parallel()
	est, target, zip, rooms := restoredPools(t)
	changed := rooms["changed"].name
	count := func(role string) int64 { return roomMessages(t, target, rooms[role].id) }
	args := func(policy string, extra ...string) []string {
		return append([]string{"import", "--db", "sqlite:" + target, "--file", zip, "--on-conflict", policy}, extra...)
	}

	before := hashTree(t, filepath.Dir(target))
	out, _ := mustRun(t, exitError, args("fail")...)
	mustContain(t, "import --on-conflict fail", out, "room "+changed, "history differs")
	out, _ = mustRun(t, exitPending, args("merge", "--dry-run")...)
	mustContain(t, "import --dry-run", out, "history differs")
	if diff := cmp.Diff(before, hashTree(t, filepath.Dir(target))); diff != "" {
		t.Errorf("a refused import or a dry run changed the target (-before +after):\n%s", diff)
	}

	out, _ = mustRun(t, 0, args("merge")...)
	mustContain(t, "import --on-conflict merge", out, "history differs", changed)
	want := map[string]int64{
		"grown":   rooms["grown"].messages + 5,   // the source's 5 new ones arrive
		"changed": 2 * rooms["changed"].messages, // another history: the archive's are added after it
		"posted":  rooms["posted"].messages + 3,  // the target's own 3 stay; nothing doubles
	}
	got := map[string]int64{"grown": count("grown"), "changed": count("changed"), "posted": count("posted")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages per room after the import (-want +got):\n%s\n%s", diff, out)
	}
	out, _ = mustRun(t, 0, args("merge")...)
	mustContain(t, "the second import", out, " 0 messages")
	if diff := cmp.Diff(want, map[string]int64{"grown": count("grown"), "changed": count("changed"), "posted": count("posted")}); diff != "" {
		t.Errorf("the second import changed messages (-want +got):\n%s", diff)
	}
	_ = est
}

// TestImportIntoARestoredCopySkip: with --on-conflict skip the room whose
// history differs is left alone, and the others still get what is new.
func TestImportIntoARestoredCopySkip(t *testing.T) {
	t.Parallel()
	_, target, zip, rooms := restoredPools(t)
	out, _ := mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", zip, "--on-conflict", "skip")
	mustContain(t, "import --on-conflict skip", out, "history differs")
	for role, want := range map[string]int64{"grown": rooms["grown"].messages + 5, "changed": rooms["changed"].messages, "posted": rooms["posted"].messages + 3} {
		if got := roomMessages(t, target, rooms[role].id); got != want {
			t.Errorf("room %q (%s): %d messages, want %d", rooms[role].name, role, got, want)
		}
	}
	if !strings.Contains(out, rooms["changed"].name) {
		t.Errorf("the skipped room is not named:\n%s", out)
	}
}
