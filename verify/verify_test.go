package verify_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/verify"
)

func TestMigratedLabIsEqual(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	r := m.verify(t, verify.Options{})
	wantEqual(t, r)
	if r.Totals.Source != r.Totals.Target || r.Totals.Source.Messages != 3000 || r.Totals.Source.Rooms == 0 {
		t.Errorf("totals = %+v, want equal sides with 3000 messages", r.Totals)
	}
	for _, rm := range r.Rooms {
		if !rm.Equal || rm.SourceDigest != rm.TargetDigest || len(rm.SourceDigest) != 64 {
			t.Errorf("room %s: equal %v, digests %s / %s", rm.Name, rm.Equal, rm.SourceDigest, rm.TargetDigest)
		}
	}
}

// Each change made to the target behind pcmig's back is named, and only it.
func TestNamesExactlyTheDifference(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, m *migration) string // returns the room it changed
		want   string                                  // a regexp the one difference matches
	}{
		{"delete one message", func(t *testing.T, m *migration) string {
			room := sqlString(t, m.target, `SELECT nodeName FROM tblNode WHERE nodeID = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC LIMIT 1)`)
			sqlExec(t, m.target, `DELETE FROM tblChat WHERE channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?)
AND chatId = (SELECT MIN(chatId) + 5 FROM tblChat WHERE channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?))`, room, room)
			return room
		}, `^room (.+): ([0-9,]+) messages in the source, ([0-9,]+) in the target; first difference at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: the source's message by sip:\S+ is not in the target$`},
		{"change one role", func(t *testing.T, m *migration) string {
			node := sqlInt(t, m.target, `SELECT MIN(prinRoleNodeID) FROM tblPrincipalRole r JOIN tblRoleType t ON t.rtypeID = r.prinRoleTypeID
WHERE t.rtypeDesc = 'Member' AND r.prinRoleNodeID IN (SELECT nodeID FROM tblNode WHERE nodeType = 0)
AND r.prinRolePrinID IN (SELECT prinID FROM tblPrincipal WHERE prinUri LIKE 'sip:%')
AND r.prinRolePrinID NOT IN (SELECT prinRolePrinID FROM tblPrincipalRole x JOIN tblRoleType y ON y.rtypeID = x.prinRoleTypeID WHERE y.rtypeDesc = 'Manager' AND x.prinRoleNodeID = r.prinRoleNodeID)`)
			sqlExec(t, m.target, `UPDATE tblPrincipalRole SET prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Manager')
WHERE prinRoleNodeID = ? AND prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Member')
AND prinRolePrinID = (SELECT MIN(prinRolePrinID) FROM tblPrincipalRole r JOIN tblRoleType t ON t.rtypeID = r.prinRoleTypeID WHERE t.rtypeDesc = 'Member' AND r.prinRoleNodeID = ?
 AND r.prinRolePrinID IN (SELECT prinID FROM tblPrincipal WHERE prinUri LIKE 'sip:%')
 AND r.prinRolePrinID NOT IN (SELECT prinRolePrinID FROM tblPrincipalRole x JOIN tblRoleType y ON y.rtypeID = x.prinRoleTypeID WHERE y.rtypeDesc = 'Manager' AND x.prinRoleNodeID = ?))`, node, node, node)
			return sqlString(t, m.target, `SELECT nodeName FROM tblNode WHERE nodeID = ?`, node)
		}, `^room (.+): sip:\S+ is a member in the source, a manager in the target$`},
		{"rename one room", func(t *testing.T, m *migration) string {
			room := sqlString(t, m.target, `SELECT MIN(nodeName) FROM tblNode WHERE nodeType = 0`)
			sqlExec(t, m.target, `UPDATE tblNode SET nodeName = 'Renamed by hand' WHERE nodeName = ?`, room)
			return room
		}, `^room (.+): named "Renamed by hand" in the target, "(.+)" expected$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMigration(t)
			m.migrate(t)
			room := tc.change(t, m)
			r := m.verify(t, verify.Options{})
			got := texts(r)
			if r.Verdict != verify.Different || len(got) != 1 {
				t.Fatalf("verdict %s with %d differences, want DIFFERENT with 1: %q", r.Verdict, len(got), got)
			}
			match := regexp.MustCompile(tc.want).FindStringSubmatch(got[0])
			if match == nil || match[1] != room {
				t.Fatalf("difference %q\nwant it to match %s for room %q", got[0], tc.want, room)
			}
			if tc.name == "delete one message" && (match[2] == match[3] || strings.ReplaceAll(match[2], ",", "") == "0") {
				t.Errorf("counts %s and %s should differ by one", match[2], match[3])
			}
		})
	}
}

// A room renamed on conflict is matched through the import journal; without
// the journal only its name tells, and verify says so.
func TestRenamedOnConflictMatchedThroughJournal(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	room := sqlString(t, m.source, `SELECT MIN(nodeName) FROM tblNode WHERE nodeType = 0`)
	// The target already has a category and a room of those names.
	tgt := open(t, m.target, false)
	catName := sqlString(t, m.source, `SELECT c.nodeName FROM tblNode c JOIN tblNode r ON r.parentID = c.nodeID WHERE r.nodeName = ?`, room)
	catID, err := tgt.CreateCategory(t.Context(), pchat.Category{GUID: "0f0f0f0f-0000-4000-8000-000000000001", Name: catName, AddedBy: 1, UpdatedBy: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tgt.CreateRoom(t.Context(), pchat.Room{GUID: "0f0f0f0f-0000-4000-8000-000000000002", Name: room, CategoryID: catID,
		Privacy: pchat.Closed, Type: pchat.Normal, Invitations: pchat.Inherit, AddedBy: 1, UpdatedBy: 1}); err != nil {
		t.Fatal(err)
	}
	tgt.Close()
	m.export(t, exporter.Options{})
	res := m.importArchive(t, importer.Options{OnConflict: importer.Rename})
	renamed := false
	for _, rr := range res.Rooms {
		renamed = renamed || (rr.Name == room && rr.Action == importer.ActRename)
	}
	if !renamed {
		t.Fatalf("the import did not rename room %q: %+v", room, res.Rooms)
	}
	r := m.verify(t, verify.Options{})
	wantEqual(t, r)

	// Without the journal the renamed room is found by GUID, and its new
	// name is the import's rename of an object whose name the target
	// holds: noted, not a difference.
	journals, _ := os.ReadDir(m.dir)
	for _, j := range journals {
		if strings.Contains(j.Name(), ".import-") {
			os.Remove(m.dir + "/" + j.Name())
		}
	}
	r = m.verify(t, verify.Options{})
	wantEqual(t, r)
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{`category ` + catName + ` is "` + catName + ` (imported)" in the target: no import journal says so`,
		`room ` + room + ` is "` + room + ` (imported)" in the target: no import journal says so`} {
		if !strings.Contains(notes, want) {
			t.Errorf("without a journal, no note %q:\n%s", want, notes)
		}
	}
}

// A room merged into one the target had holds the target's own messages
// too: verify compares the range the import wrote.
func TestMergedRoomComparedOverImportedRange(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	// A second source with the same names merges into the first one's
	// objects: the target's rooms now hold the first import's messages
	// before the second's.
	second := &migration{dir: m.dir, source: m.source, target: m.target, archive: m.dir + "/second.zip"}
	since, _ := exporter.ParseDate("2019-06-01")
	second.export(t, exporter.Options{Since: since})
	// Make the second archive's objects new ones with the same names.
	sqlExec(t, m.target, `UPDATE tblNode SET nodeGuid = lower(hex(randomblob(4))) || '-0000-4000-8000-' || lower(hex(randomblob(6))) WHERE nodeID <> 1`)
	second.importArchive(t, importer.Options{OnConflict: importer.Merge})
	r := second.verify(t, verify.Options{})
	wantEqual(t, r)
	if r.Totals.Source.Messages == 0 || r.Totals.Source.Messages >= 3000 {
		t.Errorf("compared %d messages, want those since 2019-06-01 only", r.Totals.Source.Messages)
	}
}

// What the export left out on purpose is not missing: a scope, a start
// date, a level, rooms disabled after the export.
func TestComparesWhatWasMeantToArrive(t *testing.T) {
	t.Parallel()
	since := time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		opts exporter.Options
		note string
	}{
		{"scope", exporter.Options{Scope: []string{"Engineering"}}, "the export took only the categories Engineering"},
		{"since", exporter.Options{Since: since}, "the export took messages from 2019-09-01T00:00:00Z on"},
		{"room directory", exporter.Options{Level: exporter.RoomDirectory}, "messages were not meant to arrive"},
		// Before, a Category export's note said only messages, and the
		// source's rooms went uncounted ("0 of 0 rooms") without a word.
		{"category", exporter.Options{Level: exporter.Category}, "level Category: rooms and messages were not meant to arrive"},
		{"disable exported", exporter.Options{DisableExported: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMigration(t)
			m.export(t, tc.opts)
			m.importArchive(t, importer.Options{})
			r := m.verify(t, verify.Options{})
			wantEqual(t, r)
			if tc.note != "" && !strings.Contains(strings.Join(r.Notes, "\n"), tc.note) {
				t.Errorf("notes %q do not say %q", r.Notes, tc.note)
			}
		})
	}
}

func TestScopeOption(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	r := m.verify(t, verify.Options{Scope: []string{"engineering"}})
	wantEqual(t, r)
	if r.Totals.Source.Categories != 1 {
		t.Errorf("compared %d categories, want 1", r.Totals.Source.Categories)
	}
	src, tgt := open(t, m.source, true), open(t, m.target, true)
	_, err := verify.Run(t.Context(), []verify.Source{{Label: "s", Store: src}}, tgt, verify.Options{Scope: []string{"Nope"}})
	if err == nil || !strings.Contains(err.Error(), `"Nope"`) {
		t.Errorf("scope naming no category: err = %v", err)
	}
}

// A second export and import of the same source (a fresh re-run) imports
// nothing; its journal has no message ranges, and the rooms' histories
// are still compared whole.
func TestReimportIsEqual(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	m.export(t, exporter.Options{Now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }})
	res := m.importArchive(t, importer.Options{})
	if res.Messages.Imported != 0 {
		t.Fatalf("the re-import imported %d messages", res.Messages.Imported)
	}
	r := m.verify(t, verify.Options{})
	wantEqual(t, r)
	if r.Totals.Target.Messages != 3000 {
		t.Errorf("compared %d target messages, want 3000", r.Totals.Target.Messages)
	}
}
