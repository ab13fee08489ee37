package importer_test

import (
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// The import matches an active archive principal by URI with the one
// active target principal of its address, when that is unambiguous: the
// target's disabled or deleted principals of the address are not
// candidates (tblPrincipal.prinDisabled 1 or 2: the address may have
// passed to someone else since), and the archive's disabled or deleted
// principals of the address do not make it ambiguous. Each case is a
// hand-made archive imported into a hand-built target, twice: the rerun
// adds nothing and matches the same principals.

// handTarget is an empty target pool with the principals given, in prinID
// order after the system user.
func handTarget(t *testing.T, path string, prins ...pchat.Principal) {
	t.Helper()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prins {
		p.Type, p.Name, p.AddedOn, p.UpdatedOn = pchat.TypeUser, p.URI, 1, 1
		if _, _, err := s.EnsurePrincipal(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// patArchive is an archive of the principals given, with a category that
// allows them all, a room of which the first is the member, manager and
// only poster.
func patArchive(t *testing.T, path string, prins ...archive.Principal) {
	t.Helper()
	var all []string
	for i := range prins {
		prins[i].Type = archive.PrincipalUser
		all = append(all, prins[i].GUID)
	}
	first := prins[0].GUID
	writeArchive(t, path, records{
		principals: prins,
		categories: []archive.Category{{GUID: guid(100), Name: "Sales", AllowedMembers: all, Creators: []string{first}}},
		rooms: []archive.Room{{GUID: guid(300), Name: "Leads", Category: "Sales", Privacy: pchat.Open, Type: pchat.Normal,
			Invitations: pchat.Inherit, Members: []string{first}, Managers: []string{first}}},
		messages: []archive.Message{{Room: guid(300), ChatID: 1, Date: 100, User: first, Content: "hello"}},
	})
}

func TestImportMatchesTheOneActivePrincipalOfAnAddress(t *testing.T) {
	t.Parallel()
	const pat = "sip:pat@fabrikam.com"
	for _, c := range []struct {
		name   string
		target []pchat.Principal
		arc    []archive.Principal
		// want is the GUID of the target principal the archive's first
		// principal is matched with (its own: created).
		want string
		// active is how many active principals of pat's address the
		// target holds after the import.
		active string
	}{
		{"the target's lowest principal of the address is deleted",
			[]pchat.Principal{{GUID: guid(20), URI: pat, State: pchat.Deleted}, {GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat}}, guid(21), "1"},
		{"the target's lowest principal of the address is disabled, in another spelling",
			[]pchat.Principal{{GUID: guid(20), URI: "sip:Pat@fabrikam.com", State: pchat.Disabled}, {GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat}}, guid(21), "1"},
		{"the archive also holds the deleted former user of the address",
			[]pchat.Principal{{GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat}, {GUID: guid(11), URI: pat, State: pchat.Deleted}}, guid(21), "1"},
		{"both of the above",
			[]pchat.Principal{{GUID: guid(20), URI: pat, State: pchat.Deleted}, {GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat}, {GUID: guid(11), URI: "sip:PAT@fabrikam.com", State: pchat.Deleted}}, guid(21), "1"},
		// Ambiguous or inactive: the archive principal is brought under
		// its own GUID (two active target principals of the address: the
		// lowest was matched before).
		{"not matched: the target holds two active principals of the address",
			[]pchat.Principal{{GUID: guid(20), URI: pat}, {GUID: guid(21), URI: "sip:PAT@fabrikam.com"}},
			[]archive.Principal{{GUID: guid(10), URI: pat}}, guid(10), "3"},
		{"not matched: the archive holds two active principals of the address",
			[]pchat.Principal{{GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat}, {GUID: guid(11), URI: pat}}, guid(10), "3"},
		{"not matched: the one active target principal is another archive principal's by GUID",
			[]pchat.Principal{{GUID: guid(20), URI: pat, State: pchat.Deleted}, {GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat}, {GUID: guid(21), URI: "sip:pat.new@fabrikam.com"}}, guid(10), "2"},
		{"not matched: the archive principal is deleted",
			[]pchat.Principal{{GUID: guid(21), URI: pat}},
			[]archive.Principal{{GUID: guid(10), URI: pat, State: pchat.Deleted}}, guid(10), "1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tgt, arc := filepath.Join(dir, "target.db"), filepath.Join(dir, "archive.zip")
			handTarget(t, tgt, c.target...)
			patArchive(t, arc, c.arc...)
			poster := `SELECT p.prinGuid FROM tblChat c JOIN tblPrincipal p ON p.prinID = c.userId WHERE c.content = 'hello'`
			active := `SELECT COUNT(*) FROM tblPrincipal WHERE prinUri LIKE '` + pat + `' AND prinDisabled = 0`
			creators := `SELECT COUNT(*) FROM tblPrincipalRole`
			var firstCreators []string
			for run := 1; run <= 2; run++ {
				res, err := importInto(t, tgt, arc, importer.Options{})
				if err != nil {
					t.Fatalf("import %d: %v", run, err)
				}
				if run == 2 && (res.Principals.Create != 0 || res.Messages.Imported != 0) {
					t.Errorf("the rerun created %d principals and imported %d messages, want none", res.Principals.Create, res.Messages.Imported)
				}
				if got := column(t, tgt, poster); len(got) != 1 || got[0] != c.want {
					t.Errorf("import %d: the archive's message is the target principal %q's, want %s's", run, got, c.want)
				}
				if got := column(t, tgt, active); got[0] != c.active {
					t.Errorf("import %d: the target holds %s active principals of %s, want %s", run, got[0], pat, c.active)
				}
				got := column(t, tgt, creators)
				if run == 1 {
					firstCreators = got
				} else if got[0] != firstCreators[0] {
					t.Errorf("the rerun left %s role grants, the first import %s", got[0], firstCreators[0])
				}
			}
		})
	}
}

// column is the first column of a query's rows on the SQLite file at path.
func column(t *testing.T, path, query string) []string {
	t.Helper()
	var out []string
	for _, r := range labtest.QuerySQLite(t, path, query) {
		out = append(out, r[0])
	}
	return out
}
