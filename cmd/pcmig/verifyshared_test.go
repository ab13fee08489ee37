package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// sharedSources writes a lab estate of two source pools for multipool.lua:
// the lab's own 2015 pool ("emea") and a copy of it under another pool ID
// and other GUIDs ("amer", so its categories and rooms merge into the
// first's by name) that holds only the last two messages of the first's
// busiest room (history two pools share, the same messages to the tick)
// and two of its own there. It returns the estate file, the target
// database and how many messages the first source holds.
func sharedSources(t *testing.T) (est, target string, first int64) {
	t.Helper()
	dir := labEstate(t, "--messages", "100")
	amer := filepath.Join(dir, "amer.db")
	copyDir(t, filepath.Join(dir, "source-2015.db"), amer)
	labtest.ExecSQLite(t, amer,
		`UPDATE tblConfig SET configPoolID = '5e5e5e5e-0000-4000-8000-5e5e5e5e5e5e'`,
		`UPDATE tblNode SET nodeGuid = lower(hex(randomblob(4))) || '-0000-4000-8000-' || lower(hex(randomblob(6))) WHERE nodeID <> 1`,
		`DELETE FROM tblChat WHERE NOT (channelId = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1)
AND chatId > (SELECT MAX(chatId) - 2 FROM tblChat WHERE channelId = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1)))`)
	// And two of its own, one before the shared two and one after: the
	// import appends both after the room's history, so they are not in
	// its order around the shared ones, which are where the first source
	// put them.
	labtest.ExecSQLite(t, amer,
		`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, MIN(chatId) - 1, MIN(chatDate) - 600000000, MIN(userId), 0, 'amer before', NULL FROM tblChat`,
		`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, MAX(chatId) + 1, MAX(chatDate) + 600000000, MIN(userId), 0, 'amer after', NULL FROM tblChat`,
		`UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat) WHERE nodeID = (SELECT channelId FROM tblChat LIMIT 1)`)
	if n := queryInt(t, openDB(t, amer), `SELECT COUNT(*) FROM tblChat`); n != 4 {
		t.Fatalf("the second source holds %d messages, want 4", n)
	}
	est = filepath.Join(dir, "estate.lua")
	writeFile(t, est, fmt.Sprintf(`return {
  name = "Two pools", kind = "lab", site = "Redmond",
  topology = "topology.xml", directory = "users.csv", archive = "archive/all.zip",
  pool_settings = "pool-settings.json",
  sources = {
    { name = "emea", pool = "pchat15.contoso.com", registrar = "fe15.contoso.com",
      db = "sqlite:source-2015.db", archive = "archive/emea.zip", file_store = "filestore-2015" },
    { name = "amer", pool = "pchat-amer.contoso.com", db = [[sqlite:%s]], archive = "archive/amer.zip",
      file_store = "filestore-2015" },
  },
  target = { pool = "pchat19.contoso.com", registrar = "fe19.contoso.com", db = "sqlite:target-2019.db",
    file_store = "filestore-2019" },
  category_policy = "merge",
}
`, amer))
	return est, filepath.Join(dir, "target-2019.db"), queryInt(t, openDB(t, filepath.Join(dir, "source-2015.db")), `SELECT COUNT(*) FROM tblChat`)
}

// TestVerifyTotalsCountSharedMessagesOnce: two source pools merged into
// one target (multipool.lua) hold two messages alike; the import leaves
// them once, by design, and the target holds 102 messages. verify's
// totals said "104 of 104 messages" (each source's figures summed); they
// count what is expected and held: 102 of 102, the verdict EQUAL, and say
// that 2 of the sources' messages are shared. The second source's own two
// messages come after the shared ones in the target, though one comes
// before them in the source: the shared ones are where the first source
// put them, so their order is not checked, and the room is EQUAL. Holding one of the two shared
// messages twice is a copy too many, counted in the target's total.
func TestVerifyTotalsCountSharedMessagesOnce(t *testing.T) {
	t.Parallel()
	est, target, first := sharedSources(t)
	stdout, _ := mustRun(t, 0, "run", "multipool", "--estate", est)
	held := queryInt(t, openDB(t, target), `SELECT COUNT(*) FROM tblChat`)
	if held != first+2 {
		t.Fatalf("the target holds %d messages, want the first source's %d and the second's own 2", held, first)
	}
	want := fmt.Sprintf(", %d of %d messages from 2 sources", held, held)
	mustContain(t, "multipool run", stdout, "EQUAL: ", want)

	stdout, _ = mustRun(t, 0, "verify", "--estate", est)
	mustContain(t, "verify", stdout, fmt.Sprintf(", %d of %d messages present", held, held),
		"The 12 categories and 48 rooms found are 6 categories and 24 rooms of the target: several sources' were merged into one.",
		"The sources hold 104 messages: 2 of them are also in another source's room merged into the same target room, and are expected there once",
		"2 of its messages are also in another source's room merged into the same target room: they are where that source put them, and their order is not checked",
		"EQUAL: ")
	stdout, _ = mustRun(t, 0, "verify", "--estate", est, "--json")
	var res struct {
		Verdict string `json:"verdict"`
		Totals  struct {
			Source, Target struct{ Messages int64 }
			Shared         int64                           `json:"shared_messages"`
			Objects        struct{ Categories, Rooms int } `json:"target_objects"`
		} `json:"totals"`
		Rooms []struct {
			Source         string `json:"source"`
			SourceMessages int64  `json:"source_messages"`
			TargetMessages int64  `json:"target_messages"`
			Shared         int64  `json:"shared_messages"`
		} `json:"rooms"`
	}
	decodeJSON(t, []byte(stdout), &res)
	if res.Verdict != "EQUAL" || res.Totals.Source.Messages != held || res.Totals.Target.Messages != held || res.Totals.Shared != 2 {
		t.Errorf("verify --json: verdict %s, totals %+v, want EQUAL with %d expected and held and 2 shared", res.Verdict, res.Totals, held)
	}
	if o := res.Totals.Objects; o.Categories != 6 || o.Rooms != 24 {
		t.Errorf("verify --json: target_objects %+v, want the target's 6 categories and 24 rooms", o)
	}
	var src, shared int64
	for _, r := range res.Rooms {
		src += r.SourceMessages
		shared += r.Shared
		if r.Shared > 0 && r.Source != "pchat-amer.contoso.com" {
			t.Errorf("room figure %+v: the shared messages are the second source's", r)
		}
	}
	if src-shared != held || shared != 2 {
		t.Errorf("the rooms' figures hold %d source messages, %d of them shared: want %d expected", src, shared, held)
	}

	// One shared message twice in the target: one copy too many, and the
	// target's total says so.
	labtest.ExecSQLite(t, target, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + 1, chatDate, userId, isAlert, content, rtf FROM tblChat
WHERE channelId = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1)
ORDER BY chatId DESC LIMIT 1`,
		`UPDATE tblLastChatId SET lastChatID = lastChatID + 1 WHERE nodeID = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1)`)
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify with a copy too many: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout, fmt.Sprintf(", %d of %d messages present", held+1, held), "DIFFERENT: 1 difference ")
	if !regexp.MustCompile(`room .+: the target holds 1 copy too many of the 1[0-9] messages in 2 source rooms`).MatchString(stdout) {
		t.Errorf("verify does not name the copy too many:\n%s", stdout)
	}
	if strings.Contains(stdout, "104 of 104") {
		t.Errorf("verify counts the shared messages twice:\n%s", stdout)
	}
}
