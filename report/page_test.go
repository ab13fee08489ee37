package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/report/reporttest"
	"github.com/pcmig/pcmig/verify"
)

var now = time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC)

func render(t *testing.T, p Page) *reporttest.Page {
	t.Helper()
	var b strings.Builder
	if err := WriteHTML(&b, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "@media print") {
		t.Error("the page has no print style")
	}
	return reporttest.Parse(t, []byte(b.String()))
}

func verifyResult(differences int) *verify.Result {
	r := &verify.Result{Verdict: verify.Equal, Equal: true, Target: "sqlite:t.db",
		Sources: []verify.SourceInfo{{Label: "pchat15", Database: "sqlite:s.db", Level: "All"}},
		Totals:  verify.Totals{Source: verify.Counts{Categories: 2, Rooms: 3, Messages: 1204}, Target: verify.Counts{Categories: 2, Rooms: 3, Messages: 1204}},
		Categories: []verify.CategoryFigure{
			{Source: "pchat15", Name: "Sales & <Ops>", TargetName: "Sales & <Ops>", SourceRooms: 2, TargetRooms: 2, SourceMessages: 1000, TargetMessages: 1000},
			{Source: "pchat15", Name: "東京オフィス", TargetName: "東京オフィス", SourceRooms: 1, TargetRooms: 1, SourceMessages: 204, TargetMessages: 204},
		},
		Rooms: []verify.RoomFigure{{Source: "pchat15", Category: "Sales & <Ops>", Name: "Deals", TargetName: "Deals", SourceMessages: 1000, TargetMessages: 1000, Equal: true}}}
	for i := range differences {
		r.Verdict, r.Equal = verify.Different, false
		r.Differences = append(r.Differences, verify.Difference{Source: "pchat15", Object: "room Deals",
			Text: fmt.Sprintf("room Deals: difference %d <b>", i)})
	}
	if differences > 0 {
		r.Totals.Target.Messages--
		r.Categories[0].TargetMessages--
	}
	return r
}

func TestVerifyPageFirstScreen(t *testing.T) {
	pg := render(t, VerifyPage(verifyResult(0), now))
	status := pg.FirstScreen(t, true, true)
	if !strings.HasPrefix(status, "EQUAL The target holds what the source had.") {
		t.Errorf("status %q", status)
	}
	totals := pg.Text(pg.ByID("totals"))
	for _, want := range []string{"Categories 2 → 2", "Rooms 3 → 3", "Messages 1,204 → 1,204", "Warnings 0", "Errors 0"} {
		if !strings.Contains(totals, want) {
			t.Errorf("totals %q lack %q", totals, want)
		}
	}
	chart := pg.Text(pg.ByID("chart"))
	for _, want := range []string{"Source", "Target", "Messages", "Rooms", "Sales & <Ops>", "東京オフィス", "1,000", "204"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart %q lacks %q", chart, want)
		}
	}
}

func TestVerifyPageDifferences(t *testing.T) {
	pg := render(t, VerifyPage(verifyResult(20), now))
	status := pg.FirstScreen(t, true, true)
	if !strings.HasPrefix(status, "DIFFERENT 20 differences") {
		t.Errorf("status %q", status)
	}
	verdict := pg.Text(pg.ByID("verdict"))
	if !strings.Contains(verdict, "room Deals: difference 0 <b>") || !strings.Contains(verdict, "and 8 more") {
		t.Errorf("verdict panel %q: want the first differences, escaped, and how many more", verdict)
	}
	if strings.Contains(verdict, "difference 12 ") {
		t.Errorf("the first screen lists more than 12 differences")
	}
	if body := pg.Text(pg.Root); !strings.Contains(body, "All differences") || !strings.Contains(body, "difference 19 <b>") {
		t.Error("the page does not list every difference further down")
	}
	if totals := pg.Text(pg.ByID("totals")); !strings.Contains(totals, "Messages 1,204 → 1,203") {
		t.Errorf("totals %q", totals)
	}
}

func TestExportPage(t *testing.T) {
	res := &exporter.Result{Archive: "a.zip", Level: "All", Rooms: []exporter.RoomResult{{Name: "R", Category: "C", Messages: 5}}}
	res.Counts.Rooms, res.Counts.Messages = 1, 5
	pg := render(t, ExportPage("sqlite:s.db", res, now))
	status := pg.FirstScreen(t, false, true)
	if !strings.Contains(status, "complete and verified") {
		t.Errorf("status %q", status)
	}
	if totals := pg.Text(pg.ByID("totals")); !strings.Contains(totals, "Messages 5 Archive") {
		t.Errorf("totals %q", totals)
	}
}

func TestNum(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1204: "1,204", 1234567: "1,234,567", -1204: "-1,204"} {
		if got := Num(n); got != want {
			t.Errorf("Num(%d) = %q, want %q", n, got, want)
		}
	}
}
