package importer_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
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
			// The journal says where the archive's messages are in the
			// room (for a resumed import and pcmig verify).
			first := e.int(t, `SELECT MIN(chatId) FROM tblChat WHERE channelId = ?`, node)
			if entry := e.journalEntry(t, node); entry.Base != first-1 || entry.Messages != int64(n) {
				t.Errorf("journal entry of room %q: %+v, want base %d and %d messages", name, entry, first-1, n)
			}
			// A third import of the same archive resumes from its journal
			// and writes nothing.
			res, err = importInto(t, e.target, e.archive, importer.Options{})
			if err != nil || res.Messages.Imported != 0 {
				t.Errorf("third import: %d messages, %v; want none", res.Messages.Imported, err)
			}
		})
	}
}

// A room whose history holds the archive's messages twice, or holds them
// with one of them changed in the middle, is ambiguous: the import stops
// before writing anything, naming the room.
func TestImportMergedRoomAmbiguous(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, change, want string
	}{
		{"doubled", `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
			SELECT channelId, chatId + 1000000, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = ?`, "more than once"},
		// A block longer than the distance between two sampled messages.
		{"changed in the middle", `UPDATE tblChat SET content = content || ' (edited)' WHERE channelId = ?1 AND chatId IN
			(SELECT chatId FROM tblChat WHERE channelId = ?1 ORDER BY chatId LIMIT (SELECT COUNT(*) / 16 FROM tblChat WHERE channelId = ?1) OFFSET 40)`, "cannot tell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, name, node, _ := mergedEstate(t)
			e.exec(t, tc.change, node)
			if tc.name == "doubled" {
				e.exec(t, `UPDATE tblLastChatId SET lastChatID = lastChatID + 1000000 WHERE nodeID = ?`, node)
			}
			before := snapshot(t, e.target)
			e.exportAt(t, 5)
			res, err := importInto(t, e.target, e.archive, importer.Options{})
			if !errors.Is(err, importer.ErrValidation) {
				t.Fatalf("import: %v, want a validation error", err)
			}
			var msgs []string
			for _, p := range res.Problems {
				if p.Severity == importer.Error {
					msgs = append(msgs, p.Object+": "+p.Message)
				}
			}
			if !slices.ContainsFunc(msgs, func(m string) bool {
				return strings.HasPrefix(m, "room "+name+": ") && strings.Contains(m, tc.want) && strings.Contains(m, "Nothing was written")
			}) {
				t.Errorf("errors do not name room %q with %q:\n%s", name, tc.want, strings.Join(msgs, "\n"))
			}
			if diff := cmp.Diff(before, snapshot(t, e.target)); diff != "" {
				t.Errorf("the refused import changed the target (-before +after):\n%s", diff)
			}
		})
	}
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

// journalEntry is the import journal's entry for the target room node.
func (e estate) journalEntry(t *testing.T, node int32) (entry struct {
	Target   int32 `json:"target_id"`
	Base     int64 `json:"base_last_chat_id"`
	Messages int64 `json:"messages"`
}) {
	t.Helper()
	journals, _ := filepath.Glob(e.archive + ".import-*.json")
	if len(journals) != 1 {
		t.Fatalf("journals: %q", journals)
	}
	var j struct {
		Rooms map[string]json.RawMessage `json:"rooms"`
	}
	if err := json.Unmarshal(readFile(t, journals[0]), &j); err != nil {
		t.Fatal(err)
	}
	for _, raw := range j.Rooms {
		if err := json.Unmarshal(raw, &entry); err != nil {
			t.Fatal(err)
		}
		if entry.Target == node {
			return entry
		}
	}
	t.Fatalf("the journal has no entry for node %d", node)
	return entry
}
