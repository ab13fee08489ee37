package importer_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
)

// mergedEstate imports the source into the target, then gives the target's
// copy of the source's busiest room another GUID, so that the archive's
// room merges into it by name, as the second source of multipool.lua
// merges into the first source's room. It returns the room's name, its
// node ID in the target and how many messages it has.
func mergedEstate(t *testing.T) (e estate, name string, node int32, n int) {
	t.Helper()
	e = newEstate(t)
	e.exportAt(t, 0)
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatalf("first import: %v", err)
	}
	src := snapshot(t, e.source)
	for room, msgs := range src.Messages {
		if len(msgs) > n || (len(msgs) == n && room < name) {
			name, n = room, len(msgs)
		}
	}
	if n < 3*64 {
		t.Fatalf("the busiest room %q has %d messages: too few to sample", name, n)
	}
	e.exec(t, `UPDATE tblNode SET nodeGuid = '0badf00d-0000-4000-8000-' || printf('%012d', nodeID) WHERE nodeName = ?`, name)
	db := e.db(t)
	if err := db.QueryRow(`SELECT nodeID FROM tblNode WHERE nodeName = ?`, name).Scan(&node); err != nil {
		t.Fatal(err)
	}
	return e, name, node, n
}

// exportAt exports the source again as a later run would, hours after the
// first: another archive, so the journal beside it is stale.
func (e estate) exportAt(t *testing.T, hours int) {
	t.Helper()
	at := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC).Add(time.Duration(hours) * time.Hour)
	e.export(t, exporter.Options{Overwrite: true, Now: func() time.Time { return at }})
}

func (e estate) db(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (e estate) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	db := e.db(t)
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// roomMessages are the target room's messages, in chat ID order.
func roomMessages(t *testing.T, path, room string) []message {
	t.Helper()
	return snapshot(t, path).Messages[room]
}

// A room merged by name that already holds the archive's messages, from
// an import of an earlier export (stale journal) or with the journal gone,
// gets none of them again; one that holds the first part of them (an
// earlier import was killed) gets exactly the rest.
func TestImportMergedRoomHoldsArchive(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		cut         int  // messages removed from the end of the target room first
		dropJournal bool // the journal is deleted, not stale
	}{
		{name: "stale journal"},
		{name: "no journal", dropJournal: true},
		{name: "killed earlier import", cut: 137},
		{name: "killed earlier import, no journal", cut: 1, dropJournal: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, name, node, n := mergedEstate(t)
			want := roomMessages(t, e.target, name)
			if tc.cut > 0 {
				// As a killed import leaves it: the room's chat counter is
				// its last committed message's.
				e.exec(t, `DELETE FROM tblChat WHERE channelId = ? AND chatId > (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?) - ?`, node, node, tc.cut)
				e.exec(t, `UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, node)
				if got := len(roomMessages(t, e.target, name)); got != n-tc.cut {
					t.Fatalf("the room holds %d messages after the cut, want %d", got, n-tc.cut)
				}
			}
			if tc.dropJournal {
				journals, _ := filepath.Glob(e.archive + ".import-*.json")
				if len(journals) != 1 {
					t.Fatalf("journals: %q", journals)
				}
				if err := os.Remove(journals[0]); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, e.target)
			e.exportAt(t, 5)
			res, err := importInto(t, e.target, e.archive, importer.Options{})
			if err != nil {
				t.Fatalf("second import: %v", err)
			}
			if res.Messages.Imported != int64(tc.cut) {
				t.Errorf("the second import wrote %d messages, want %d", res.Messages.Imported, tc.cut)
			}
			after := snapshot(t, e.target)
			if diff := cmp.Diff(want, after.Messages[name]); diff != "" {
				t.Errorf("room %q (-the first import's +after the second):\n%s", name, diff)
			}
			for room, msgs := range before.Messages {
				if room != name && len(after.Messages[room]) != len(msgs) {
					t.Errorf("room %q: %d messages after the second import, %d before", room, len(after.Messages[room]), len(msgs))
				}
			}
			// A third import of the same archive finds them all again and
			// writes nothing.
			res, err = importInto(t, e.target, e.archive, importer.Options{})
			if err != nil || res.Messages.Imported != 0 {
				t.Errorf("third import: %d messages, %v; want none", res.Messages.Imported, err)
			}
		})
	}
}

// Every archive message is looked for in the merged room's whole history,
// whatever its place: a room that holds the archive's messages twice gets
// none again (pcmig verify reports the extra copies); one whose copies of
// a block of them were changed gets exactly the block's originals.
func TestImportMergedRoomEveryMessageLookedFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, change string
		want         func(n int) int64 // messages the import writes
	}{
		{"doubled", `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
			SELECT channelId, chatId + 1000000, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = ?`,
			func(int) int64 { return 0 }},
		{"changed in the middle", `UPDATE tblChat SET content = content || ' (edited)' WHERE channelId = ?1 AND chatId IN
			(SELECT chatId FROM tblChat WHERE channelId = ?1 ORDER BY chatId LIMIT (SELECT COUNT(*) / 16 FROM tblChat WHERE channelId = ?1) OFFSET 40)`,
			func(n int) int64 { return int64(n / 16) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, name, node, n := mergedEstate(t)
			e.exec(t, tc.change, node)
			e.exec(t, `UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, node)
			before := roomMessages(t, e.target, name)
			e.exportAt(t, 5)
			res, err := importInto(t, e.target, e.archive, importer.Options{})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			after := roomMessages(t, e.target, name)
			if got := int64(len(after) - len(before)); got != tc.want(n) || res.Messages.Imported != got {
				t.Fatalf("the import added %d messages to the room (result: %d), want %d", got, res.Messages.Imported, tc.want(n))
			}
			if diff := cmp.Diff(before, after[:len(before)]); diff != "" {
				t.Errorf("the room's messages changed (-before +after):\n%s", diff)
			}
			if tc.want(n) > 0 {
				// The originals of the changed block, in order.
				for i, m := range after[len(before):] {
					if o := before[40+i]; m.Content+" (edited)" != o.Content || m.Date != o.Date || m.Poster != o.Poster {
						t.Fatalf("added message %d is not the original of the changed one: %+v, changed %+v", i, m, o)
					}
				}
			}
			e.exportAt(t, 9)
			if res, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil || res.Messages.Imported != 0 {
				t.Errorf("the next import wrote %d messages (%v), want none", res.Messages.Imported, err)
			}
		})
	}
}

// The administrator runs the whole migration again after the pool switch:
// users have posted in the target's merged room, and the source got a few
// late messages. The late messages are added once, after the users' posts,
// and the runs after that add nothing (each run exports again, so the
// journal beside the archive is stale every time).
func TestImportMergedRoomAfterPostsOnBothSides(t *testing.T) {
	t.Parallel()
	e, name, node, n := mergedEstate(t)
	appendRows(t, e.target, node, 2, "posted in the new pool")
	srcNode := int32(e.sourceInt(t, `SELECT nodeID FROM tblNode WHERE nodeName = ?`, name))
	appendRows(t, e.source, srcNode, 3, "posted late in the old pool")
	for run := 1; run <= 3; run++ {
		e.exportAt(t, 5*run)
		res, err := importInto(t, e.target, e.archive, importer.Options{})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		want := int64(0)
		if run == 1 {
			want = 3
		}
		if res.Messages.Imported != want {
			t.Errorf("run %d wrote %d messages, want %d", run, res.Messages.Imported, want)
		}
		if got := len(roomMessages(t, e.target, name)); got != n+2+3 {
			t.Errorf("after run %d the room holds %d messages, want %d", run, got, n+5)
		}
	}
	msgs := roomMessages(t, e.target, name)
	for i, m := range msgs[n+2:] {
		if !strings.HasPrefix(m.Content, "posted late in the old pool") {
			t.Errorf("message %d after the users' posts: %q", n+2+i, m.Content)
		}
	}
}

// appendRows adds n messages to a room of the database at path with plain
// SQL, as a server would: the next chat IDs, later dates, the room's last
// poster, tblLastChatId moved on.
func appendRows(t *testing.T, path string, room int32, n int, content string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range n {
		if _, err := db.Exec(`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, chatId + 1, chatDate + 10000000, userId, 0, ?, NULL FROM tblChat WHERE channelId = ? ORDER BY chatId DESC LIMIT 1`,
			content+" "+strconv.Itoa(i), room); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE tblLastChatId SET lastChatID = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1) WHERE nodeID = ?1`, room); err != nil {
		t.Fatal(err)
	}
}

func (e estate) sourceInt(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.source)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// A room merged by name into a target room with a history of its own, in
// which the archive's messages are not, gets them appended once; a later
// import of a new export of the same source appends nothing.
func TestImportMergedRoomNewThenAgain(t *testing.T) {
	t.Parallel()
	e, name, node, n := mergedEstate(t)
	// The target's room now holds messages of its own, not the archive's.
	e.exec(t, `UPDATE tblChat SET content = content || ' (the target''s own)' WHERE channelId = ?`, node)
	own := roomMessages(t, e.target, name)
	e.exportAt(t, 5)
	res, err := importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	if got := roomMessages(t, e.target, name); len(got) != 2*n || !cmp.Equal(got[:n], own) || res.Messages.Imported != int64(n) {
		t.Fatalf("after the merge the room holds %d messages (the import wrote %d), want its own %d and the archive's %d after them",
			len(got), res.Messages.Imported, n, n)
	}
	merged := snapshot(t, e.target)
	e.exportAt(t, 9)
	res, err = importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("import of the next export: %v", err)
	}
	if res.Messages.Imported != 0 {
		t.Errorf("the import of the next export wrote %d messages, want none", res.Messages.Imported)
	}
	if diff := cmp.Diff(merged, snapshot(t, e.target)); diff != "" {
		t.Errorf("the import of the next export changed the target (-before +after):\n%s", diff)
	}
}

func (e estate) int(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.db(t).QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// The same for a room the target has by GUID (migrate.lua run again after
// the switch): the source's late messages are added once, after the
// users' posts, whatever --on-conflict says (the room is the same room;
// skip used to leave it alone and the late messages were lost).
func TestImportRoomByGUIDAfterPostsOnBothSides(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	e.exportAt(t, 0)
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatalf("first import: %v", err)
	}
	var name string
	var n int
	for room, msgs := range snapshot(t, e.source).Messages {
		if len(msgs) > n || (len(msgs) == n && room < name) {
			name, n = room, len(msgs)
		}
	}
	node := int32(e.int(t, `SELECT nodeID FROM tblNode WHERE nodeName = ?`, name))
	appendRows(t, e.target, node, 2, "posted in the new pool")
	appendRows(t, e.source, int32(e.sourceInt(t, `SELECT nodeID FROM tblNode WHERE nodeName = ?`, name)), 3, "posted late in the old pool")
	for run, policy := range []string{importer.Skip, importer.Fail, importer.Merge} {
		e.exportAt(t, 5*(run+1))
		res, err := importInto(t, e.target, e.archive, importer.Options{OnConflict: policy})
		if err != nil {
			t.Fatalf("run %d (--on-conflict %s): %v", run+1, policy, err)
		}
		if want := map[bool]int64{true: 3, false: 0}[run == 0]; res.Messages.Imported != want {
			t.Errorf("run %d (--on-conflict %s) wrote %d messages, want %d", run+1, policy, res.Messages.Imported, want)
		}
	}
	msgs := roomMessages(t, e.target, name)
	if len(msgs) != n+5 {
		t.Fatalf("the room holds %d messages, want %d", len(msgs), n+5)
	}
	for i, m := range msgs[n+2:] {
		if !strings.HasPrefix(m.Content, "posted late in the old pool") {
			t.Errorf("message %d after the users' posts: %q", n+2+i, m.Content)
		}
	}
}

// A re-run whose journal belongs to another export checks every room that
// holds messages; the warning names ten of them, not hundreds or thousands
// in one line, and the result keeps every room's figures.
func TestImportAlreadyThereWarningNamesTenRooms(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	e.exportAt(t, 0)
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatalf("first import: %v", err)
	}
	e.exportAt(t, 5)
	res, err := importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	rooms := 0
	for _, r := range res.Rooms {
		if r.AlreadyThere > 0 {
			rooms++
		}
	}
	if rooms <= 10 {
		t.Fatalf("only %d rooms hold messages: the estate is too small for this test", rooms)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "already hold some of this archive's messages") {
			if want := "and " + strconv.Itoa(rooms-10) + " more (each room's figures are in the report)"; !strings.HasSuffix(p.Message, want) {
				t.Errorf("the warning does not end with %q: %s", want, p.Message)
			}
			return
		}
	}
	t.Errorf("no warning about messages already there: %+v", res.Problems)
}
