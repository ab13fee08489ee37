package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// busiest is the target's room with the most messages: its node ID.
const busiest = `(SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1)`

// postInRoom adds n messages after every message of the target's busiest
// room, by its first poster, a minute apart: users posting in the new
// pool after the switch.
func postInRoom(t *testing.T, db string, n int) {
	t.Helper()
	for range n {
		labtest.ExecSQLite(t, db, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, MAX(chatId) + 1, MAX(chatDate) + 600000000, MIN(userId), 0, 'posted in the new pool', NULL FROM tblChat WHERE channelId = `+busiest,
			`UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = nodeID) WHERE nodeID = `+busiest)
	}
}

// verifyRooms runs pcmig verify --json with args and returns the verdict
// and each room's comparison by room name.
func verifyRooms(t *testing.T, want int, args ...string) (string, map[string]string) {
	t.Helper()
	stdout, _ := mustRun(t, want, append([]string{"verify", "--json"}, args...)...)
	var res struct {
		Verdict string `json:"verdict"`
		Rooms   []struct {
			Name       string `json:"name"`
			Comparison string `json:"comparison"`
		} `json:"rooms"`
	}
	decodeJSON(t, []byte(stdout), &res)
	out := map[string]string{}
	for _, r := range res.Rooms {
		out[r.Name] = r.Comparison
	}
	return res.Verdict, out
}

// TestVerifyRoomWithoutJournalComparedAsMultiset: a target room with the
// source room's GUID and no import journal (deleted, or the room came
// from another tool or an earlier run) in which users have posted since.
// verify compared it whole and in order and said DIFFERENT ("the target
// has 2 messages after the source's last"). Without a journal range it is
// compared as merged rooms are: every source message must be there, with
// its copies, the users' posts are noted, and the output says which
// comparison was used. A room with a journal range keeps its exact ordered
// comparison, and a source message missing is still a difference.
func TestVerifyRoomWithoutJournalComparedAsMultiset(t *testing.T) {
	t.Parallel()
	dir, est := migratedLab(t)
	target := filepath.Join(dir, "target-2019.db")
	name := func() string {
		var s string
		if err := openDB(t, target).QueryRowContext(t.Context(), `SELECT nodeName FROM tblNode WHERE nodeID = `+busiest).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}()
	postInRoom(t, target, 2)
	verdict, cmp := verifyRooms(t, 0, "--estate", est)
	if verdict != "EQUAL" || cmp[name] != "journal range" {
		t.Errorf("with the import journal: verdict %s, room %s compared by %q; want EQUAL, by the journal's range", verdict, name, cmp[name])
	}

	journals, _ := filepath.Glob(filepath.Join(dir, "archive", "*.import-*.json"))
	if len(journals) == 0 {
		t.Fatal("the run left no import journal")
	}
	for _, j := range journals {
		if err := os.Remove(j); err != nil {
			t.Fatal(err)
		}
	}
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != 0 {
		t.Fatalf("verify without the journal: exit %d, want 0\n%s", code, stdout)
	}
	mustContain(t, "verify without the journal", stdout, "1,500 of 1,500 messages present",
		"note: pchat15.contoso.com: room "+name+": no import journal range: compared as a multiset",
		"note: pchat15.contoso.com: room "+name+" holds 2 messages besides this source's", "EQUAL: ")
	verdict, cmp = verifyRooms(t, 0, "--estate", est)
	if verdict != "EQUAL" || cmp[name] != "multiset" {
		t.Errorf("without the journal: verdict %s, room %s compared by %q; want EQUAL, as a multiset", verdict, name, cmp[name])
	}
	for room, c := range cmp {
		if room != name && c != "whole" {
			t.Errorf("room %s, equal to the source, compared by %q, want whole (in order)", room, c)
		}
	}
	// The same with the databases on the command line and no archive.
	verdict, cmp = verifyRooms(t, 0, "--source", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--target", "sqlite:"+target)
	if verdict != "EQUAL" || cmp[name] != "multiset" {
		t.Errorf("verify --source --target: verdict %s, room %s compared by %q; want EQUAL, as a multiset", verdict, name, cmp[name])
	}

	// One of the source's messages gone from the target: still named.
	labtest.ExecSQLite(t, target, `DELETE FROM tblChat WHERE channelId = `+busiest+` AND chatId = (SELECT MIN(chatId) + 3 FROM tblChat WHERE channelId = `+busiest+`)`)
	stdout, _, code = runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify with a message gone: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	re := `difference: room ` + regexp.QuoteMeta(name) + `: [0-9,]+ messages in the source, [0-9,]+ of them in the target, each looked for anywhere in the room's history; from \S+Z: the source's message by sip:\S+ is not in the target`
	if !regexp.MustCompile(re).MatchString(stdout) || !strings.Contains(stdout, "DIFFERENT: 1 difference ") {
		t.Errorf("verify does not name the one message gone (%s):\n%s", re, stdout)
	}
}

// TestVerifyMultisetRoomOrderChecked: a room compared as a multiset (no
// journal range: merged by name into a room of another GUID, or its own
// GUID with users' posts since) holds every source message, with the
// users' posts between them: EQUAL. Two of the source's messages in the
// other order there made no difference (only presence was checked); the
// source's messages must appear in the target in the source's order (a
// subsequence in chat-ID order), and an order difference is named as such.
func TestVerifyMultisetRoomOrderChecked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		prep func(t *testing.T, target string)
	}{
		{"merged by name", func(t *testing.T, target string) {
			labtest.ExecSQLite(t, target, `UPDATE tblNode SET nodeGuid = '0f0e0d0c-0000-4000-8000-0a0b0c0d0e0f' WHERE nodeID = `+busiest)
		}},
		{"same GUID", func(t *testing.T, target string) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, est := migratedLab(t)
			target := filepath.Join(dir, "target-2019.db")
			journals, _ := filepath.Glob(filepath.Join(dir, "archive", "*.import-*.json"))
			for _, j := range journals {
				if err := os.Remove(j); err != nil {
					t.Fatal(err)
				}
			}
			tc.prep(t, target)
			// Two users' posts after the room's 20th message, one at its end.
			low := queryInt(t, openDB(t, target), `SELECT MIN(chatId) FROM tblChat WHERE channelId = `+busiest)
			labtest.ExecSQLite(t, target,
				fmt.Sprintf(`UPDATE tblChat SET chatId = chatId + 1000000 WHERE channelId = %s AND chatId > %d`, busiest, low+19),
				fmt.Sprintf(`UPDATE tblChat SET chatId = chatId - 1000000 + 2 WHERE channelId = %s AND chatId > 1000000`, busiest))
			for i := int64(1); i <= 2; i++ {
				labtest.ExecSQLite(t, target, fmt.Sprintf(`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + %d, chatDate + %d, userId, 0, 'posted in the new pool', NULL FROM tblChat WHERE channelId = %s AND chatId = %d`, i, i, busiest, low+19))
			}
			postInRoom(t, target, 1)
			stdout, _, code := runCmd(t, "verify", "--estate", est)
			if code != 0 {
				t.Fatalf("verify with the users' posts between the source's messages: exit %d, want 0\n%s", code, stdout)
			}
			mustContain(t, "verify", stdout, "holds 3 messages besides this source's", "EQUAL: ")

			// The source's 6th and 7th messages swapped in the target.
			a, b := low+5, low+6
			labtest.ExecSQLite(t, target,
				fmt.Sprintf(`UPDATE tblChat SET chatId = -1 WHERE channelId = %s AND chatId = %d`, busiest, a),
				fmt.Sprintf(`UPDATE tblChat SET chatId = %d WHERE channelId = %s AND chatId = %d`, a, busiest, b),
				fmt.Sprintf(`UPDATE tblChat SET chatId = %d WHERE channelId = %s AND chatId = -1`, b, busiest))
			stdout, _, code = runCmd(t, "verify", "--estate", est)
			if code != exitDifferent {
				t.Fatalf("verify with two messages swapped: exit %d, want %d\n%s", code, exitDifferent, stdout)
			}
			re := `difference: room .+: the source's [0-9,]+ messages are all in the target, not in the source's order: the source's message by sip:\S+ at (\S+Z) is in the target only before the one that precedes it in the source \(by sip:\S+ at (\S+Z)\)`
			if m := regexp.MustCompile(re).FindStringSubmatch(stdout); m == nil || !strings.Contains(stdout, "DIFFERENT: 1 difference ") {
				t.Errorf("verify does not name the order difference (%s):\n%s", re, stdout)
			}
			if strings.Contains(stdout, "is not in the target") {
				t.Errorf("verify says a message is missing; every one is there:\n%s", stdout)
			}
		})
	}
}
