package verify_test

import (
	"regexp"
	"testing"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/verify"
)

// A room whose history the import appended a second time (a re-run that
// did not recognise its own messages) is DIFFERENT: the journal's range
// holds one copy and compares equal, but the room holds every message of
// the source twice.
func TestDoubledHistoryIsDifferent(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	wantEqual(t, m.verify(t, verify.Options{}))
	node := sqlInt(t, m.target, `SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1`)
	n := sqlInt(t, m.target, `SELECT COUNT(*) FROM tblChat WHERE channelId = ?`, node)
	room := sqlString(t, m.target, `SELECT nodeName FROM tblNode WHERE nodeID = ?`, node)
	// The copy goes after the room's history, with new chat IDs, as an
	// import appends.
	sqlExec(t, m.target, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1), chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = ?1`, node)
	sqlExec(t, m.target, `UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, node)
	r := m.verify(t, verify.Options{})
	got := texts(r)
	want := regexp.MustCompile(`^room (.+): the target holds ([0-9,]+) cop(?:y|ies) too many of the ([0-9,]+) messages in the source room \(pchat15\)`)
	if r.Verdict != verify.Different || len(got) != 1 {
		t.Fatalf("verdict %s with differences %q, want DIFFERENT with one", r.Verdict, got)
	}
	match := want.FindStringSubmatch(got[0])
	if match == nil || match[1] != room || match[2] != match[3] || match[2] != numtext.Thousands(n) {
		t.Errorf("difference %q, want one that room %q holds %d copies too many of its %d messages", got[0], room, n, n)
	}
}
