package verify_test

import (
	"testing"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/verify"
)

// postInTarget adds n messages to a target room, by its first member, a
// minute apart after every message it holds: users posting in the new pool.
func postInTarget(t *testing.T, path string, room int64, n int) {
	t.Helper()
	for range n {
		sqlExec(t, path, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT ?1, MAX(chatId) + 1, MAX(chatDate) + 600000000, (SELECT MIN(userId) FROM tblChat WHERE channelId = ?1), 0, 'posted in the new pool', NULL FROM tblChat WHERE channelId = ?1`, room)
		sqlExec(t, path, `UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, room)
	}
}

// TestRerunAfterTargetPostsIsEqual: the migration is run again after the
// switch (a new export, so the import journal beside it is stale): users
// have posted twice in the target's room, and the source's room got three
// late messages. The re-run adds the three once, after the users' posts,
// a third run adds nothing, and verify says EQUAL each time.
func TestRerunAfterTargetPostsIsEqual(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	name, room := busiestRoom(t, m)
	src := sqlInt(t, m.source, `SELECT nodeID FROM tblNode WHERE nodeName = ?`, name)
	postInTarget(t, m.target, room, 2)
	for range 3 {
		sqlExec(t, m.source, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT ?1, MAX(chatId) + 1, (SELECT MAX(chatDate) FROM tblChat) + 6000000000 + MAX(chatId), (SELECT MIN(userId) FROM tblChat WHERE channelId = ?1), 0, 'late in the source', NULL FROM tblChat WHERE channelId = ?1`, src)
		sqlExec(t, m.source, `UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, src)
	}
	held := sqlInt(t, m.target, `SELECT COUNT(*) FROM tblChat WHERE channelId = ?`, room)
	for run, year := range []int{2030, 2031} {
		m.export(t, exporter.Options{Overwrite: true, Now: func() time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }})
		res := m.importArchive(t, importer.Options{})
		if want := map[bool]int64{true: 3, false: 0}[run == 0]; res.Messages.Imported != want {
			t.Errorf("run %d imported %d messages, want %d", run+2, res.Messages.Imported, want)
		}
		if got := sqlInt(t, m.target, `SELECT COUNT(*) FROM tblChat WHERE channelId = ?`, room); got != held+3 {
			t.Errorf("after run %d the room holds %d messages, want %d", run+2, got, held+3)
		}
		if late := sqlInt(t, m.target, `SELECT COUNT(*) FROM (SELECT content FROM tblChat WHERE channelId = ? ORDER BY chatId DESC LIMIT 3) WHERE content = 'late in the source'`, room); late != 3 {
			t.Errorf("after run %d the room's last three messages hold %d of the source's late ones", run+2, late)
		}
		wantEqual(t, m.verify(t, verify.Options{}))
	}
}
