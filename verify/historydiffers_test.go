package verify_test

import (
	"strings"
	"testing"

	"github.com/pcmig/pcmig/verify"
)

// totals.rooms_history_differs counts target rooms, each once: two source
// rooms merged into one target room whose shared message was changed in
// the target both find their history different, and the count line said
// "the history of 2 rooms differs" of one room. A target room whose
// history the import appended twice (found only by the multiplicity
// check) is a room whose history differs too.
func TestRoomsHistoryDiffersCountsTargetRoomsOnce(t *testing.T) {
	t.Parallel()
	t.Run("two sources, one target room", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		name, room := busiestRoom(t, m)
		cp := copiedSource(t, m, name)
		// The message both sources hold, changed in the target.
		sqlExec(t, m.target, `UPDATE tblChat SET content = content || ' (edited)' WHERE channelId = ?1 AND chatId = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1)`, room)
		r, err := verify.Run(t.Context(), []verify.Source{
			{Label: "first", Store: open(t, m.source, true), Archive: m.archive},
			{Label: "copy", Store: open(t, cp, true)},
		}, open(t, m.target, true), verify.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantDiffers(t, r, 1, name)
	})
	t.Run("history appended twice", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		name, room := busiestRoom(t, m)
		sqlExec(t, m.target, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1), chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = ?1`, room)
		sqlExec(t, m.target, `UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, room)
		wantDiffers(t, m.verify(t, verify.Options{}), 1, name)
	})
}

// wantDiffers fails unless r is DIFFERENT and counts n target rooms whose
// history differs, in its totals and its count line.
func wantDiffers(t *testing.T, r *verify.Result, n int, room string) {
	t.Helper()
	var b strings.Builder
	if err := verify.WriteText(&b, r, ""); err != nil {
		t.Fatal(err)
	}
	if r.Verdict != verify.Different || r.Totals.RoomsHistoryDiffers != n {
		t.Errorf("verdict %s, rooms_history_differs %d, want DIFFERENT and %d (room %s):\n%s", r.Verdict, r.Totals.RoomsHistoryDiffers, n, room, b.String())
	}
	want := "; 1 room has a different history (see the differences)."
	if !strings.Contains(b.String(), want) {
		t.Errorf("the count line does not say %q:\n%s", want, b.String())
	}
}
