package importer_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
)

// TestRenameAvoidsTheArchivesOwnNames: under --on-conflict rename, the
// new name of a category or room the target already holds is free in the
// archive as well as in the target. The target held Fabrikam and Lobby;
// the archive held Fabrikam, Lobby and also Fabrikam (imported) and Lobby
// (imported): the renamed Fabrikam and the archive's Fabrikam (imported)
// both became "Fabrikam (imported)", two categories of one name in one
// pool (and two rooms of one name, which the pool keeps unique).
func TestRenameAvoidsTheArchivesOwnNames(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	// The target's Fabrikam and Lobby (other GUIDs).
	first := validRecords()
	first.categories[0].GUID = guid(110)
	first.rooms = first.rooms[:1]
	first.rooms[0].GUID, first.messages = guid(310), nil
	firstPath := filepath.Join(e.dir, "first.zip")
	writeArchive(t, firstPath, first)
	if _, err := importInto(t, e.target, firstPath, importer.Options{}); err != nil {
		t.Fatalf("first Import: %v", err)
	}

	r := validRecords()
	second := r.categories[0]
	second.GUID, second.Name = guid(101), "Fabrikam (imported)"
	r.categories = append(r.categories, second)
	r.rooms[1].Name, r.rooms[1].Category = "Lobby (imported)", "Fabrikam (imported)"
	path := filepath.Join(e.dir, "handmade.zip")
	writeArchive(t, path, r)
	res, err := importInto(t, e.target, path, importer.Options{OnConflict: importer.Rename})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	got := map[string]string{}
	for _, c := range res.Categories {
		got["category "+c.Name] = c.Action + " " + c.Target
	}
	for _, x := range res.Rooms {
		got["room "+x.Name] = x.Action + " " + x.Target
	}
	want := map[string]string{
		"category Fabrikam":            "rename Fabrikam (imported) 2",
		"category Fabrikam (imported)": "create Fabrikam (imported)",
		"room Lobby":                   "rename Lobby (imported) 2",
		"room Lobby (imported)":        "create Lobby (imported)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions mismatch (-want +got):\n%s", diff)
	}
	dups := labtest.QuerySQLite(t, e.target,
		"SELECT nodeName, COUNT(*) FROM tblNode GROUP BY nodeName COLLATE NOCASE HAVING COUNT(*) > 1")
	if len(dups) > 0 {
		t.Errorf("node names held twice in the target: %v", dups)
	}
}
