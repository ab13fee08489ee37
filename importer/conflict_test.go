package importer_test

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/pchat"
)

// conflict is what a test puts into the target before importing: a
// category named like one of the archive's, a room named like one of that
// category's rooms, a message in that room and a principal only the target
// has, allowed in the category and member of the room.
type conflict struct {
	category, room string // the shared names
	user           string // the target-only principal's URI
	before         content
}

const targetUserURI = "sip:target.only@contoso.com"

func addConflicts(t *testing.T, e estate, src content) conflict {
	t.Helper()
	var c conflict
	for _, name := range slices.Sorted(maps.Keys(src.Rooms)) {
		if src.Rooms[name].Category != "" {
			c.category, c.room = src.Rooms[name].Category, name
			break
		}
	}
	c.user = targetUserURI
	s := open(t, e.target, false)
	user, _, err := s.EnsurePrincipal(ctx, pchat.Principal{GUID: "0f0f0f0f-0000-4000-8000-000000000001", URI: c.user,
		Type: pchat.TypeUser, Name: "Target Only"})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := s.CreateCategory(ctx, pchat.Category{Name: c.category, Description: "the target's own",
		AllowedMembers: []int32{user}, AddedOn: 11, UpdatedOn: 12})
	if err != nil {
		t.Fatal(err)
	}
	room, err := s.CreateRoom(ctx, pchat.Room{Name: c.room, Description: "the target's room", CategoryID: cat,
		Privacy: pchat.Open, Type: pchat.Normal, Invitations: pchat.Inherit, Members: []int32{user}, AddedOn: 13, UpdatedOn: 14})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessages(ctx, room, []pchat.Message{{Date: 15, UserID: user, Content: "already here"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil { // the writer lock goes with it
		t.Fatal(err)
	}
	c.before = snapshot(t, e.target)
	return c
}

// union is the sorted union of string lists.
func union(lists ...[]string) []string {
	out := []string{}
	for _, l := range lists {
		for _, s := range l {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// expected is the content a conflict policy should leave: the source's,
// with the shared names resolved as the policy says.
func (c conflict) expected(src content, policy string) content {
	want := content{Principals: maps.Clone(src.Principals), Addins: maps.Clone(src.Addins),
		Categories: maps.Clone(src.Categories), Rooms: maps.Clone(src.Rooms), Messages: maps.Clone(src.Messages)}
	maps.Copy(want.Principals, c.before.Principals)
	tCat, tRoom, tMsgs := c.before.Categories[c.category], c.before.Rooms[c.room], c.before.Messages[c.room]
	aCat, aRoom, aMsgs := src.Categories[c.category], src.Rooms[c.room], src.Messages[c.room]
	switch policy {
	case importer.Merge:
		tCat.Allowed = union(tCat.Allowed, aCat.Allowed)
		tCat.Denied = union(tCat.Denied, aCat.Denied)
		tCat.Creators = union(tCat.Creators, aCat.Creators)
		want.Categories[c.category] = tCat
		tRoom.Members = union(tRoom.Members, aRoom.Members)
		tRoom.Managers = union(tRoom.Managers, aRoom.Managers)
		tRoom.Presenters = union(tRoom.Presenters, aRoom.Presenters)
		want.Rooms[c.room] = tRoom
		want.Messages[c.room] = append(slices.Clone(tMsgs), aMsgs...)
	case importer.Skip:
		want.Categories[c.category] = tCat
		for name, r := range src.Rooms {
			if r.Category == c.category {
				delete(want.Rooms, name)
				delete(want.Messages, name)
			}
		}
		want.Rooms[c.room], want.Messages[c.room] = tRoom, tMsgs
	case importer.Rename:
		renamed := c.category + " (imported)"
		want.Categories[renamed] = aCat
		want.Categories[c.category] = tCat
		for name, r := range src.Rooms {
			if r.Category == c.category {
				r.Category = renamed
				want.Rooms[name] = r
			}
		}
		aRoom.Category = renamed
		want.Rooms[c.room+" (imported)"], want.Messages[c.room+" (imported)"] = aRoom, aMsgs
		want.Rooms[c.room], want.Messages[c.room] = tRoom, tMsgs
	}
	return want
}

// conflictNames lists the shared names a Result reports, kind first.
func conflictNames(res *importer.Result) []string {
	var out []string
	for _, c := range res.Conflicts {
		if c.Resolution == "" {
			out = append(out, c.Kind+" "+c.Name+": no resolution")
			continue
		}
		out = append(out, c.Kind+" "+c.Name)
	}
	return out
}

func actions(res *importer.Result) map[string]string {
	out := map[string]string{}
	for _, c := range res.Categories {
		out["category "+c.Name] = c.Action + " " + c.Target
	}
	for _, r := range res.Rooms {
		out["room "+r.Name] = r.Action + " " + r.Target
	}
	return out
}

func TestConflictPolicies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy string
		// What the shared category and room become: action and name in
		// the target ("" for the archive's name plus the suffix).
		catAction, roomAction string
		renamed               bool
		roomConflict          bool // listed: a skipped category's rooms are skipped unseen
	}{
		{importer.Merge, importer.ActMerge, importer.ActMerge, false, true},
		{"", importer.ActMerge, importer.ActMerge, false, true}, // merge is the default
		{importer.Skip, importer.ActSkip, importer.ActSkip, false, false},
		{importer.Rename, importer.ActRename, importer.ActRename, true, true},
	}
	for _, tt := range tests {
		t.Run("policy "+tt.policy, func(t *testing.T) {
			t.Parallel()
			e := newEstate(t)
			e.export(t, exporter.Options{})
			src := snapshot(t, e.source)
			c := addConflicts(t, e, src)
			res, err := importInto(t, e.target, e.archive, importer.Options{OnConflict: tt.policy})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			policy := tt.policy
			if policy == "" {
				policy = importer.Merge
			}
			if diff := cmp.Diff(c.expected(src, policy), snapshot(t, e.target)); diff != "" {
				t.Errorf("target content mismatch (-want +got):\n%s", diff)
			}
			wantConflicts := []string{"category " + c.category}
			if tt.roomConflict {
				wantConflicts = append(wantConflicts, "room "+c.room)
			}
			if diff := cmp.Diff(wantConflicts, conflictNames(res)); diff != "" {
				t.Errorf("Result.Conflicts mismatch (-want +got):\n%s", diff)
			}
			catTarget, roomTarget := c.category, c.room
			if tt.renamed {
				catTarget, roomTarget = c.category+" (imported)", c.room+" (imported)"
			}
			got := actions(res)
			want := map[string]string{"category " + c.category: tt.catAction + " " + catTarget,
				"room " + c.room: tt.roomAction + " " + roomTarget}
			if diff := cmp.Diff(want, map[string]string{"category " + c.category: got["category "+c.category],
				"room " + c.room: got["room "+c.room]}); diff != "" {
				t.Errorf("Result actions mismatch (-want +got):\n%s", diff)
			}
			checkChatIDs(t, e.target)

			// Running the same import again finds everything in place:
			// no second renamed copy, no write at all.
			after := readFile(t, e.target)
			again, err := importInto(t, e.target, e.archive, importer.Options{OnConflict: tt.policy})
			if err != nil {
				t.Fatalf("second Import: %v", err)
			}
			if again.Changes() {
				t.Errorf("second Import: Changes() = true, want false; actions %v", actions(again))
			}
			if !bytes.Equal(after, readFile(t, e.target)) {
				t.Errorf("second Import changed the target database file")
			}
		})
	}
}

func TestConflictFailWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	e.export(t, exporter.Options{})
	c := addConflicts(t, e, snapshot(t, e.source))
	before := readFile(t, e.target)
	res, err := importInto(t, e.target, e.archive, importer.Options{OnConflict: importer.Fail})
	if !errors.Is(err, importer.ErrValidation) {
		t.Fatalf("Import: error %v, want ErrValidation", err)
	}
	var got []string
	for _, p := range res.Problems {
		if p.Severity == importer.Error {
			got = append(got, p.Object)
			if !strings.Contains(p.Message, "--on-conflict fail") {
				t.Errorf("problem %q does not name the policy", p.Message)
			}
		}
	}
	if diff := cmp.Diff([]string{"category " + c.category, "room " + c.room}, got); diff != "" {
		t.Errorf("error problems mismatch (-want +got):\n%s", diff)
	}
	if !bytes.Equal(before, readFile(t, e.target)) {
		t.Errorf("a failed import changed the target database file")
	}
}
