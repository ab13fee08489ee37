package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/report/reporttest"
)

func TestWriteImport(t *testing.T) {
	res := &importer.Result{Archive: "a.zip", Target: "sqlite:t.db", OnConflict: "merge",
		Categories: []importer.CategoryResult{{Name: `<script>alert("x")</script>`, Target: "x", Action: importer.ActCreate}},
		Rooms:      []importer.RoomResult{{Name: "R", Target: "R", Category: `<script>alert("x")</script>`, Action: importer.ActCreate, Messages: 10, Imported: 10}},
		Conflicts:  []importer.Conflict{{Kind: "category", Name: "Sales & <Ops>", Resolution: "merged"}},
		Problems:   []importer.Problem{{Severity: importer.Warning, Object: "room R", Message: "principal is disabled"}},
		Messages:   importer.MessageCounts{InArchive: 10, Imported: 10}, Duration: time.Second}
	dir := t.TempDir()
	html := filepath.Join(dir, "r.html")
	js := filepath.Join(dir, "r.json")
	if err := WriteImport(html, res, nil); err != nil {
		t.Fatal(err)
	}
	if err := WriteImport(js, res, nil); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	pg := reporttest.Parse(t, page)
	status := pg.FirstScreen(t, false, true)
	if !strings.Contains(status, "Imported 10 messages") {
		t.Errorf("status %q does not say what the import did", status)
	}
	for _, want := range []string{"&lt;script&gt;", "Sales &amp; &lt;Ops&gt;", "principal is disabled", "<td>10 in the archive, 10 imported"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(string(page), "<script>alert") {
		t.Error("HTML report does not escape names")
	}
	var back importer.Result
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*res, back); diff != "" {
		t.Errorf("JSON report mismatch (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("report folder holds %d files, want 2 (no temporary files left)", len(entries))
	}
}

func TestImportSummaryDryRun(t *testing.T) {
	res := &importer.Result{DryRun: true, Target: "sqlite:t.db",
		Rooms:    []importer.RoomResult{{Name: "Lobby", Target: "Lobby", Category: "C", Action: importer.ActCreate, Messages: 7, AddMembers: 2}},
		Messages: importer.MessageCounts{InArchive: 7, ToImport: 7}}
	var b strings.Builder
	ImportSummary(&b, res, ListedIn(""))
	for _, want := range []string{"Plan (dry run, nothing written):", `room     create   "Lobby" in "C" (+2 members), 7 messages`, "Would import into sqlite:t.db"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}

func TestImportPageTotalsLeaveOutSkipped(t *testing.T) {
	res := &importer.Result{Target: "sqlite:t.db",
		Categories: []importer.CategoryResult{{Name: "A", Action: importer.ActCreate}, {Name: "B", Action: importer.ActSkip}, {Name: "C", Action: importer.ActMerge}},
		Rooms: []importer.RoomResult{{Name: "R1", Category: "A", Action: importer.ActSkip}, {Name: "R2", Category: "B", Action: importer.ActSkip},
			{Name: "R3", Category: "C", Action: importer.ActRename}, {Name: "R4", Category: "C", Action: importer.ActCreate}}}
	got := map[string][2]int64{}
	for _, tot := range ImportPage(res, time.Time{}).Totals {
		got[tot.Label] = [2]int64{tot.Source, tot.Target}
	}
	if got["Categories"] != [2]int64{3, 2} || got["Rooms"] != [2]int64{4, 2} {
		t.Errorf("totals (archive, target) = %v, want Categories [3 2] and Rooms [4 2]", got)
	}
}

// TestTransferCharts: the export and import pages chart one bar per
// category, in the order the categories first appear (stable among equals
// when sorted by messages), summing its rooms and messages.
func TestTransferCharts(t *testing.T) {
	ex := &exporter.Result{Rooms: []exporter.RoomResult{{Name: "r1", Category: "B", Messages: 5}, {Name: "r2", Category: "A", Messages: 9},
		{Name: "r3", Category: "B", Messages: 4}, {Name: "r4", Category: "C", Messages: 0}}}
	want := []Bar{{Name: "B", SourceRooms: 2, SourceMessages: 9}, {Name: "A", SourceRooms: 1, SourceMessages: 9}, {Name: "C", SourceRooms: 1}}
	if got := ExportPage("s", ex, time.Time{}).Chart; !cmp.Equal(got, want) {
		t.Errorf("export chart:\n%s", cmp.Diff(want, got))
	}
	im := &importer.Result{Rooms: []importer.RoomResult{{Name: "r1", Category: "B", Action: importer.ActCreate, Messages: 5, Imported: 3, AlreadyThere: 1},
		{Name: "r2", Category: "A", Action: importer.ActSkip, Messages: 9}, {Name: "r3", Category: "B", Action: importer.ActMerge, Messages: 2, Imported: 2}}}
	want = []Bar{{Name: "A", SourceRooms: 1, SourceMessages: 9}, {Name: "B", SourceRooms: 2, TargetRooms: 2, SourceMessages: 7, TargetMessages: 6}}
	if got := ImportPage(im, time.Time{}).Chart; !cmp.Equal(got, want) {
		t.Errorf("import chart:\n%s", cmp.Diff(want, got))
	}
	var many exporter.Result
	for i := range ChartCategories + 2 {
		many.Rooms = append(many.Rooms, exporter.RoomResult{Category: fmt.Sprintf("c%02d", i), Messages: int64(i)})
	}
	p := ExportPage("s", &many, time.Time{})
	if len(p.Chart) != ChartCategories || p.Chart[0].Name != fmt.Sprintf("c%02d", ChartCategories+1) || !strings.Contains(p.ChartNote, "busiest") {
		t.Errorf("chart of %d categories: %d bars, first %q, note %q", ChartCategories+2, len(p.Chart), p.Chart[0].Name, p.ChartNote)
	}
}
