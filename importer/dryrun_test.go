package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		conflicts bool
		policy    string
	}{
		{"empty target", false, ""},
		{"merge", true, importer.Merge},
		{"skip", true, importer.Skip},
		{"rename", true, importer.Rename},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEstate(t)
			exp := e.export(t, exporter.Options{})
			src := snapshot(t, e.source)
			var c conflict
			if tt.conflicts {
				c = addConflicts(t, e, src)
			}
			before, files := readFile(t, e.target), listDir(t, filepath.Dir(e.archive))
			res, err := importInto(t, e.target, e.archive, importer.Options{DryRun: true, OnConflict: tt.policy})
			if err != nil {
				t.Fatalf("dry-run Import: %v", err)
			}
			if !bytes.Equal(before, readFile(t, e.target)) {
				t.Errorf("the dry run changed the target database file")
			}
			if diff := cmp.Diff(files, listDir(t, filepath.Dir(e.archive))); diff != "" {
				t.Errorf("files beside the archive mismatch (-want +got):\n%s", diff)
			}
			if !res.DryRun {
				t.Errorf("Result.DryRun = false")
			}

			// The plan: every category and room with the action its name
			// calls for, and every room's messages.
			wantCats, wantRooms := map[string]string{}, map[string]importer.RoomResult{}
			var wantMsgs importer.MessageCounts
			for name := range src.Categories {
				wantCats[name] = importer.ActCreate
			}
			for name, r := range src.Rooms {
				n := int64(len(src.Messages[name]))
				rr := importer.RoomResult{Name: name, Target: name, Category: r.Category, Action: importer.ActCreate, Messages: n}
				switch {
				case tt.policy == importer.Skip && r.Category == c.category:
					rr.Action = importer.ActSkip
				case name == c.room && tt.policy == importer.Merge:
					rr.Action = importer.ActMerge
				case name == c.room && tt.policy == importer.Rename:
					rr.Action, rr.Target = importer.ActRename, name+" (imported)"
				}
				wantRooms[name] = rr
				wantMsgs.InArchive += n
				if rr.Action == importer.ActSkip {
					wantMsgs.Skipped += n
				} else {
					wantMsgs.ToImport += n
				}
			}
			if tt.conflicts {
				wantCats[c.category] = map[string]string{importer.Merge: importer.ActMerge, importer.Skip: importer.ActSkip,
					importer.Rename: importer.ActRename}[tt.policy]
			}
			gotCats, gotRooms := map[string]string{}, map[string]importer.RoomResult{}
			for _, c := range res.Categories {
				gotCats[c.Name] = c.Action
			}
			for _, r := range res.Rooms {
				r.AddMembers, r.AddManagers, r.AddPresenters = 0, 0, 0
				gotRooms[r.Name] = r
			}
			if diff := cmp.Diff(wantCats, gotCats); diff != "" {
				t.Errorf("category actions mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantRooms, gotRooms); diff != "" {
				t.Errorf("room plans mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantMsgs, res.Messages); diff != "" {
				t.Errorf("Result.Messages mismatch (-want +got):\n%s", diff)
			}
			if wantMsgs.InArchive != exp.Counts.Messages {
				t.Errorf("the plan counts %d messages, the export wrote %d", wantMsgs.InArchive, exp.Counts.Messages)
			}
			if res.Principals.Create != len(src.Principals)-1 || !res.Changes() {
				t.Errorf("plan: %d principals to create (want %d), Changes() %v", res.Principals.Create, len(src.Principals)-1, res.Changes())
			}
		})
	}
}
