package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
	if err := WriteImport(html, res); err != nil {
		t.Fatal(err)
	}
	if err := WriteImport(js, res); err != nil {
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
	ImportSummary(&b, res)
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
