package verify_test

import (
	"testing"

	"github.com/pcmig/pcmig/verify"
)

// A room of one message whose text changed in the target is named with
// "1 message", not "1 messages".
func TestOneMessageRoomDifferenceIsSingular(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	room := sqlString(t, m.source, `SELECT nodeName FROM tblNode WHERE nodeID = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC LIMIT 1)`)
	sqlExec(t, m.source, `DELETE FROM tblChat WHERE channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?)
AND chatId > (SELECT MIN(chatId) FROM tblChat WHERE channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?))`, room, room)
	m.migrate(t)
	sqlExec(t, m.target, `UPDATE tblChat SET content = 'changed by hand' WHERE channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?)`, room)
	r := m.verify(t, verify.Options{})
	match := oneDifference(t, r, `^room (.+): 1 message in the source, 1 in the target; first difference at `)
	if match[1] != room {
		t.Errorf("difference names room %q, want %q", match[1], room)
	}
}
