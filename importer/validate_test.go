package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/pchat"
)

// records are the contents of a hand-made archive.
type records struct {
	principals []archive.Principal
	categories []archive.Category
	addins     []archive.Addin
	rooms      []archive.Room
	messages   []archive.Message
}

func writeArchive(t *testing.T, path string, r records) {
	t.Helper()
	w, err := archive.Create(path, archive.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	add := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range r.principals {
		add(w.AddPrincipal(p))
	}
	for _, c := range r.categories {
		add(w.AddCategory(c))
	}
	for _, a := range r.addins {
		add(w.AddAddin(a))
	}
	for _, x := range r.rooms {
		add(w.AddRoom(x))
	}
	for _, m := range r.messages {
		add(w.AddMessage(m))
	}
	add(w.Commit(archive.Manifest{Level: archive.LevelAll, SourcePool: "pchat15.fabrikam.com",
		Created: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}))
}

func guid(n int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n) }

// Principals of the hand-made archives.
var (
	alice   = guid(1) // active, in the group
	bob     = guid(2) // active, in the group
	carol   = guid(3) // SIP disabled, in the group
	dave    = guid(4) // deleted, in the group
	eve     = guid(5) // active, not in the group
	group   = guid(9)
	unknown = guid(99) // in neither the archive nor the target
)

func uriOf(g string) string {
	return map[string]string{alice: "sip:alice@fabrikam.com", bob: "sip:bob@fabrikam.com", carol: "sip:carol@fabrikam.com",
		dave: "sip:dave@fabrikam.com", eve: "sip:eve@fabrikam.com", group: "ma-grp://fabrikam.com/" + group}[g]
}

// validRecords is an archive that imports without a problem: one category
// allowing a group, a normal room and an auditorium with the add-in.
func validRecords() records {
	user := func(g string, st pchat.PrincipalState, aff ...string) archive.Principal {
		return archive.Principal{GUID: g, URI: uriOf(g), Type: archive.PrincipalUser, State: st, Affiliations: aff}
	}
	return records{
		principals: []archive.Principal{
			user(alice, pchat.Active, group), user(bob, pchat.Active, group), user(carol, pchat.Disabled, group),
			user(dave, pchat.Deleted, group), user(eve, pchat.Active),
			{GUID: group, URI: uriOf(group), Type: archive.PrincipalGroup},
		},
		categories: []archive.Category{{GUID: guid(100), Name: "Fabrikam", AllowedMembers: []string{group}, Creators: []string{alice}}},
		addins:     []archive.Addin{{GUID: guid(200), Name: "Wiki", URL: "https://wiki.fabrikam.com/"}},
		rooms: []archive.Room{
			{GUID: guid(300), Name: "Lobby", Category: "Fabrikam", Privacy: pchat.Open, Type: pchat.Normal,
				Invitations: pchat.Inherit, Members: []string{alice, bob}, Managers: []string{alice}},
			{GUID: guid(301), Name: "Stage", Category: "Fabrikam", Privacy: pchat.Closed, Type: pchat.Auditorium,
				Invitations: pchat.Inherit, Addin: "Wiki", Members: []string{alice, bob}, Presenters: []string{bob}},
		},
		messages: []archive.Message{
			{Room: guid(300), ChatID: 1, Date: 100, User: alice, Content: "hello"},
			{Room: guid(300), ChatID: 2, Date: 101, User: bob, Content: "hi"},
		},
	}
}

// problem is a Problem with its message reduced to a phrase it must hold.
type problem struct {
	Severity, Object, Phrase string
}

func TestPreflightValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ü", 257)
	longest := strings.Repeat("ü", 256)
	tests := []struct {
		name   string
		change func(r *records)
		want   []problem
		// members the Lobby has after the import, when it goes ahead
		lobby []string
	}{
		{"valid", func(*records) {}, nil, []string{alice, bob}},
		{"names of 256 characters", func(r *records) {
			r.categories[0].Name, r.categories[0].Description = longest, longest
			r.rooms[0].Category, r.rooms[1].Category = longest, longest
			r.rooms[0].Name, r.rooms[0].Description = longest, longest
		}, nil, []string{alice, bob}},
		{"category name too long", func(r *records) {
			r.categories[0].Name, r.rooms[0].Category, r.rooms[1].Category = long, long, long
		}, []problem{{importer.Error, "category " + long, "256 characters"}}, nil},
		{"room description too long", func(r *records) { r.rooms[0].Description = long },
			[]problem{{importer.Error, "room Lobby", "256 characters"}}, nil},
		{"member outside the allowed members", func(r *records) { r.rooms[0].Members = append(r.rooms[0].Members, eve) },
			[]problem{{importer.Warning, "room Lobby", "member " + uriOf(eve) + " is not within"}}, []string{alice, bob}},
		{"member denied", func(r *records) { r.categories[0].DeniedMembers = []string{bob} },
			[]problem{
				{importer.Warning, "room Lobby", "member " + uriOf(bob) + " is not within"},
				{importer.Warning, "room Stage", "member " + uriOf(bob) + " is not within"},
				{importer.Warning, "room Stage", "presenter " + uriOf(bob) + " is not within"},
			}, []string{alice}},
		{"manager outside the allowed members", func(r *records) { r.rooms[0].Managers = []string{eve} },
			[]problem{{importer.Warning, "room Lobby", "manager " + uriOf(eve) + " is not within"}}, []string{alice, bob}},
		{"presenters in a normal room", func(r *records) { r.rooms[0].Presenters = []string{alice} },
			[]problem{{importer.Warning, "room Lobby", "presenters apply to auditorium rooms only"}}, []string{alice, bob}},
		{"disabled and deleted principals", func(r *records) { r.rooms[0].Members = append(r.rooms[0].Members, carol, dave) },
			[]problem{
				{importer.Warning, "principal " + uriOf(carol), "is disabled (prinDisabled 1) and named by room Lobby"},
				{importer.Warning, "principal " + uriOf(dave), "is deleted (prinDisabled 2) and named by room Lobby"},
			}, []string{alice, bob, carol, dave}},
		{"missing add-in", func(r *records) { r.rooms[1].Addin = "Whiteboard" },
			[]problem{{importer.Error, "room Stage", `add-in "Whiteboard", which is neither in the archive nor in the target`}}, nil},
		{"unknown principal in a role list", func(r *records) { r.rooms[0].Managers = []string{unknown} },
			[]problem{{importer.Error, "room Lobby", "principal " + unknown + ", which is neither in the archive nor in the target"}}, nil},
		{"unknown principal in an access list", func(r *records) { r.categories[0].AllowedMembers = append(r.categories[0].AllowedMembers, unknown) },
			[]problem{{importer.Error, "category Fabrikam", "principal " + unknown + ", which is neither in the archive nor in the target"}}, nil},
		{"unknown poster", func(r *records) { r.messages[1].User = unknown },
			[]problem{{importer.Error, "messages", "posted by " + unknown}}, nil},
		{"room of an unknown category", func(r *records) { r.rooms[0].Category = "Contoso" },
			[]problem{{importer.Error, "room Lobby", `category "Contoso" is not in the archive`}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEstate(t)
			r := validRecords()
			tt.change(&r)
			path := filepath.Join(e.dir, "handmade.zip")
			writeArchive(t, path, r)
			before := readFile(t, e.target)
			res, err := importInto(t, e.target, path, importer.Options{})
			// A problem that holds the phrase of the wanted one in its
			// place is reduced to it; others show their full message.
			var got []problem
			for i, p := range res.Problems {
				if strings.ContainsAny(p.Message, "\r\n") {
					t.Errorf("problem %q takes more than one line", p.Message)
				}
				phrase := p.Message
				if i < len(tt.want) && strings.Contains(p.Message, tt.want[i].Phrase) {
					phrase = tt.want[i].Phrase
				}
				got = append(got, problem{p.Severity, p.Object, phrase})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Result.Problems mismatch (-want +got):\n%s", diff)
			}
			if tt.lobby == nil {
				if !errors.Is(err, importer.ErrValidation) {
					t.Errorf("Import: error %v, want ErrValidation", err)
				}
				if !bytes.Equal(before, readFile(t, e.target)) {
					t.Errorf("an import that failed validation changed the target database file")
				}
				return
			}
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			var lobby []string
			for _, g := range tt.lobby {
				lobby = append(lobby, uriOf(g))
			}
			var name string
			for n, x := range snapshot(t, e.target).Rooms {
				if x.GUID == guid(300) {
					name = n
					if diff := cmp.Diff(lobby, x.Members); diff != "" {
						t.Errorf("Lobby members mismatch (-want +got):\n%s", diff)
					}
				}
			}
			if name == "" {
				t.Errorf("the Lobby was not imported")
			}
		})
	}
}
