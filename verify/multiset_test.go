package verify_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/verify"
)

// interleave puts two messages of the target's own (users posting in the
// new pool) before the last three of a target room, as the import leaves
// a room it had before when it appends a source's late messages after
// them.
func interleave(t *testing.T, path string, room int64) {
	t.Helper()
	last := sqlInt(t, path, `SELECT MAX(chatId) FROM tblChat WHERE channelId = ?`, room)
	sqlExec(t, path, `UPDATE tblChat SET chatId = chatId + 1000000 WHERE channelId = ? AND chatId > ?`, room, last-3)
	sqlExec(t, path, `UPDATE tblChat SET chatId = chatId - 1000000 + 2 WHERE channelId = ? AND chatId > 1000000`, room)
	for i := int64(1); i <= 2; i++ {
		sqlExec(t, path, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + ?3, chatDate + ?3, userId, 0, 'posted in the new pool', NULL FROM tblChat WHERE channelId = ?1 AND chatId = ?2`, room, last-3, i)
	}
	sqlExec(t, path, `UPDATE tblLastChatId SET lastChatID = ?2 WHERE nodeID = ?1`, room, last+2)
}

// A room the target had before the import (merged into by name, or found
// from an earlier run) with no journal range for it holds the source's
// messages wherever the import found or appended them: here with two
// messages posted in the target before the source's last three. verify
// compared the room's newest messages (or its whole history) in order and
// said DIFFERENT; each message is there once, as in the source: EQUAL.
// One source message taken out is still found missing, by time and
// poster.
func TestInterleavedRoomComparedAsMultiset(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		prep func(t *testing.T, m *migration, guid string, room int64)
	}{
		{"merged by name, no journal", func(t *testing.T, m *migration, guid string, room int64) {
			sqlExec(t, m.target, `UPDATE tblNode SET nodeGuid = '0f0e0d0c-0000-4000-8000-0a0b0c0d0e0f' WHERE nodeID = ?`, room)
			paths, _ := filepath.Glob(m.archive + ".import-*.json")
			for _, p := range paths {
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"merged, journal without its range", func(t *testing.T, m *migration, guid string, room int64) {
			journal(t, m, func(d map[string]any) {
				d["outcomes"].(map[string]any)[guid].(map[string]any)["action"] = "merge"
				delete(d["rooms"].(map[string]any), guid)
			})
		}},
		{"earlier run, journal without its range", func(t *testing.T, m *migration, guid string, room int64) {
			journal(t, m, func(d map[string]any) {
				d["outcomes"].(map[string]any)[guid].(map[string]any)["action"] = "exists"
				delete(d["rooms"].(map[string]any), guid)
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMigration(t)
			m.migrate(t)
			name, room := busiestRoom(t, m)
			guid := sqlString(t, m.source, `SELECT nodeGuid FROM tblNode WHERE nodeName = ?`, name)
			n := sqlInt(t, m.target, `SELECT COUNT(*) FROM tblChat WHERE channelId = ?`, room)
			interleave(t, m.target, room)
			tc.prep(t, m, guid, room)
			r := m.verify(t, verify.Options{})
			wantEqual(t, r)
			if r.Totals.Source.Messages != 3000 || r.Totals.Target.Messages != 3000 {
				t.Errorf("compared %d source and %d target messages, want 3000 each", r.Totals.Source.Messages, r.Totals.Target.Messages)
			}
			if notes := strings.Join(r.Notes, "\n"); !strings.Contains(notes, "room "+name+" holds 2 messages besides this source's") {
				t.Errorf("the notes do not say that room %s holds 2 messages besides the source's:\n%s", name, notes)
			}

			// The source's fourth-last message, gone from the target.
			gone := sqlInt(t, m.target, `SELECT MAX(chatId) - 6 FROM tblChat WHERE channelId = ?`, room)
			content := sqlString(t, m.target, `SELECT content FROM tblChat WHERE channelId = ? AND chatId = ?`, room, gone)
			sqlExec(t, m.target, `DELETE FROM tblChat WHERE channelId = ? AND chatId = ?`, room, gone)
			r = m.verify(t, verify.Options{})
			match := oneDifference(t, r, `^room (.+): ([0-9,]+) messages in the source, ([0-9,]+) of them in the target, each looked for anywhere in the room's history; from \S+Z: the source's message by sip:\S+ is not in the target$`)
			if match[1] != name || match[2] != numtext.Thousands(n) || match[3] != numtext.Thousands(n-1) {
				t.Errorf("difference %q, want room %s with %d messages in the source and %d found", match[0], name, n, n-1)
			}
			if strings.Contains(match[0], content) {
				t.Errorf("difference %q quotes the message's content", match[0])
			}
		})
	}
}

// copiedSource is a second source pool, a copy of m's source under another
// pool ID and other GUIDs (so that its categories and rooms merge into the
// target's by name), holding only the last message of the room named
// room: copied history, the same message to the tick in two pools.
func copiedSource(t *testing.T, m *migration, room string) string {
	t.Helper()
	path := filepath.Join(m.dir, "copy.db")
	labtest.CopyFile(t, m.source, path)
	sqlExec(t, path, `UPDATE tblConfig SET configPoolID = '5e5e5e5e-0000-4000-8000-5e5e5e5e5e5e'`)
	sqlExec(t, path, `UPDATE tblNode SET nodeGuid = lower(hex(randomblob(4))) || '-0000-4000-8000-' || lower(hex(randomblob(6))) WHERE nodeID <> 1`)
	sqlExec(t, path, `DELETE FROM tblChat WHERE NOT (channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?1)
AND chatId = (SELECT MAX(chatId) FROM tblChat WHERE channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?1)))`, room)
	if n := sqlInt(t, path, `SELECT COUNT(*) FROM tblChat`); n != 1 {
		t.Fatalf("the copied source holds %d messages, want 1", n)
	}
	return path
}

// Two source rooms merged into one target room that both hold one message
// (the same time to the tick, poster, alert flag, content and RTF) are one
// message: the import leaves it once, and the target holding it once is
// EQUAL (verify summed the sources and said "fewer times"); holding it
// twice is one copy too many (the sum said EQUAL).
func TestCopiedHistoryCountsOnce(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	name, room := busiestRoom(t, m)
	n := sqlInt(t, m.source, `SELECT COUNT(*) FROM tblChat c JOIN tblNode r ON r.nodeID = c.channelId WHERE r.nodeName = ?`, name)
	cp := copiedSource(t, m, name)
	reconcile := func() *verify.Result {
		res, err := verify.Run(t.Context(), []verify.Source{
			{Label: "first", Store: open(t, m.source, true), Archive: m.archive},
			{Label: "copy", Store: open(t, cp, true)},
		}, open(t, m.target, true), verify.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	wantEqual(t, reconcile())

	// The message appended again, as an import that did not find it would.
	sqlExec(t, m.target, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + 1, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = ?1 AND chatId = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1)`, room)
	sqlExec(t, m.target, `UPDATE tblLastChatId SET lastChatID = lastChatID + 1 WHERE nodeID = ?`, room)
	match := oneDifference(t, reconcile(), `^room (.+): the target holds ([0-9,]+) cop(?:y|ies) too many of the ([0-9,]+) messages in 2 source rooms \(copy, first\) merged into it: each is meant to be there as many times as the source room that holds it most often holds it; the first extra copy is the message by sip:\S+ at \S+Z$`)
	if match[1] != name || match[2] != "1" || match[3] != numtext.Thousands(n+1) {
		t.Errorf("difference %q, want room %s holding 1 copy too many of the %d messages", match[0], name, n+1)
	}
}

// nth is the chat ID of a room's message at offset k in chat-ID order.
func nth(t *testing.T, path string, room, k int64) int64 {
	t.Helper()
	return sqlInt(t, path, `SELECT chatId FROM tblChat WHERE channelId = ? ORDER BY chatId LIMIT 1 OFFSET ?`, room, k)
}

// The order of a room compared as a multiset is checked exactly, with
// messages alike too: the source holds one message twice (x, x, y); the
// target holding x, x, y (with users' posts after) is EQUAL, and x, y, x,
// where both copies of x are found, is an order difference (it was EQUAL:
// only presence was checked).
func TestMultisetOrderWithCopies(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	name, room := busiestRoom(t, m)
	src := sqlInt(t, m.source, `SELECT nodeID FROM tblNode WHERE nodeName = ?`, name)
	for _, side := range []struct {
		path string
		room int64
	}{{m.source, src}, {m.target, room}} {
		x, x2 := nth(t, side.path, side.room, 10), nth(t, side.path, side.room, 11)
		sqlExec(t, side.path, `UPDATE tblChat SET (chatDate, userId, isAlert, content, rtf) =
(SELECT chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = ?1 AND chatId = ?2) WHERE channelId = ?1 AND chatId = ?3`, side.room, x, x2)
	}
	sqlExec(t, m.target, `UPDATE tblNode SET nodeGuid = '0f0e0d0c-0000-4000-8000-0a0b0c0d0e0f' WHERE nodeID = ?`, room)
	paths, _ := filepath.Glob(m.archive + ".import-*.json")
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	interleave(t, m.target, room)
	r := m.verify(t, verify.Options{})
	wantEqual(t, r)
	for _, f := range r.Rooms {
		if f.Name == name && f.Comparison != verify.CompareMultiset {
			t.Errorf("room %s compared by %q, want %q", name, f.Comparison, verify.CompareMultiset)
		}
	}

	// x, y, x: the second x and y swapped.
	x2, y := nth(t, m.target, room, 11), nth(t, m.target, room, 12)
	sqlExec(t, m.target, `UPDATE tblChat SET chatId = -1 WHERE channelId = ? AND chatId = ?`, room, x2)
	sqlExec(t, m.target, `UPDATE tblChat SET chatId = ? WHERE channelId = ? AND chatId = ?`, x2, room, y)
	sqlExec(t, m.target, `UPDATE tblChat SET chatId = ? WHERE channelId = ? AND chatId = -1`, y, room)
	match := oneDifference(t, m.verify(t, verify.Options{}), `^room (.+): the source's ([0-9,]+) messages are all in the target, not in the source's order: the source's message by sip:\S+ at (\S+Z) is in the target only before the one that precedes it in the source \(by sip:\S+ at (\S+Z)\)$`)
	// The greedy match takes x, then the second x after y: y is the first
	// source message with no copy after the ones before it.
	when := func(id int64) string {
		return pchat.TimeFromTicks(sqlInt(t, m.target, `SELECT chatDate FROM tblChat WHERE channelId = ? AND chatId = ?`, room, id)).Format(time.RFC3339)
	}
	if match[1] != name || match[3] != when(x2) || match[4] != when(y) {
		t.Errorf("difference %q, want room %s, y (%s) in the target only before x (%s)", match[0], name, when(x2), when(y))
	}
}
