package runtime

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcmig/pcmig/report/reporttest"
	"github.com/pcmig/pcmig/verify"
)

const hostileName = `<script>alert("x")</script> & co`

// reportRun runs a script with a hostile step name, a warning, an action
// and a failing step, with a fixed clock.
func reportRun(t *testing.T) *Report {
	t.Helper()
	src := `local t = require('testmod')
local log = require('log')
steps(2)
step('` + hostileName + `', function()
  t.write('<b>Sales</b>', 3)
  log.warn('room %q has no members', '<img src=x>')
end)
step('fail', function() error('database <unreachable>') end)
`
	r := runSource(t, context.Background(), src, "", Options{Estate: "lab & <test>"})
	if r.err == nil {
		t.Fatal("Run() succeeded, want the second step to fail")
	}
	return r.rep
}

func TestReportJSON(t *testing.T) {
	rep := reportRun(t)
	var b strings.Builder
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report.json", b.String())

	var back Report
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil {
		t.Fatalf("report JSON does not decode: %v", err)
	}
	if diff := cmp.Diff(rep, &back, cmpopts.IgnoreFields(Report{}, "Plan")); diff != "" {
		t.Errorf("report JSON round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestReportHTML(t *testing.T) {
	rep := reportRun(t)
	var b strings.Builder
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	page := reporttest.Parse(t, []byte(html))
	status := page.FirstScreen(t, false, false)
	if want := "FAILED The run stopped at step 2, fail."; !strings.HasPrefix(status, want) {
		t.Errorf("status %q, want it to start %q", status, want)
	}
	if totals := page.Text(page.ByID("totals")); !strings.Contains(totals, "Warnings 1") || !strings.Contains(totals, "Errors 1") {
		t.Errorf("totals %q: want 1 warning and 1 error counted", totals)
	}
	body := page.Text(page.Root)
	tests := []struct {
		name    string
		text    string
		present bool
	}{
		{"step name escaped", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co", true},
		{"no raw script tag", "<script>", false},
		{"target escaped", "&lt;b&gt;Sales&lt;/b&gt;", true},
		{"warning escaped", "&lt;img src=x&gt;", true},
		{"no raw img", "<img", false},
		{"estate escaped", "lab &amp; &lt;test&gt;", true},
		{"error shown", "database &lt;unreachable&gt;", true},
		{"count", "<td>3</td>", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Contains(html, tc.text); got != tc.present {
				t.Errorf("HTML contains %q = %v, want %v\n%s", tc.text, got, tc.present, html)
			}
		})
	}
	for _, want := range []string{"Steps", "1 " + hostileName + " done", "2 fail failed", "Step 2: fail"} {
		if !strings.Contains(body, want) {
			t.Errorf("page text lacks %q:\n%s", want, body)
		}
	}
}

// A run that reconciled source and target shows the verdict and the
// per-category picture on its first screen.
func TestReportHTMLReconciliation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		equal  bool
		status string
	}{
		{"equal", true, "EQUAL Migration complete"},
		{"different", false, "DIFFERENT The run finished, but the target differs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Report{Script: "migrate.lua", Estate: "lab", Status: StatusDone, Steps: []StepReport{{Index: 1, Name: "reconcile", Status: StatusDone}}}
			rec := &verify.Result{Verdict: verify.Equal, Equal: true, Target: "sqlite:t.db",
				Totals:     verify.Totals{Source: verify.Counts{Categories: 1, Rooms: 1, Messages: 9}, Target: verify.Counts{Categories: 1, Rooms: 1, Messages: 9}},
				Categories: []verify.CategoryFigure{{Name: "Sales", TargetName: "Sales", SourceRooms: 1, TargetRooms: 1, SourceMessages: 9, TargetMessages: 9}}}
			if !tc.equal {
				rec.Verdict, rec.Equal = verify.Different, false
				rec.Differences = []verify.Difference{{Object: "room R", Text: "room R: named \"X\" in the target, \"R\" expected"}}
			}
			rep.Reconciliation = rec
			var b strings.Builder
			if err := rep.WriteHTML(&b); err != nil {
				t.Fatal(err)
			}
			page := reporttest.Parse(t, []byte(b.String()))
			if status := page.FirstScreen(t, true, true); !strings.HasPrefix(status, tc.status) {
				t.Errorf("status %q, want it to start %q", status, tc.status)
			}
			if totals := page.Text(page.ByID("totals")); !strings.Contains(totals, "Messages 9 → 9") {
				t.Errorf("totals %q", totals)
			}
		})
	}
}

func TestWriteReport(t *testing.T) {
	rep := reportRun(t)
	tests := []struct {
		file       string
		wantPrefix string
	}{
		{"report.json", "{\n"},
		{"report.JSON", "{\n"},
		{"report.html", "<!DOCTYPE html>"},
		{"report", "<!DOCTYPE html>"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.file)
			if err := rep.WriteReport(path); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), tc.wantPrefix) {
				t.Errorf("%s starts with %.20q, want %q", tc.file, b, tc.wantPrefix)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Errorf("folder holds %d files after the write, want 1 (no temporary file left)", len(entries))
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		rep  *Report
		err  error
		want int
	}{
		{"real run", &Report{}, nil, ExitOK},
		{"dry run, nothing to do", &Report{DryRun: true}, nil, ExitOK},
		{"dry run, changes", &Report{DryRun: true, ChangesPending: true}, nil, ExitChangesPending},
		{"error", &Report{DryRun: true, ChangesPending: true}, os.ErrNotExist, ExitError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExitCode(tc.rep, tc.err); got != tc.want {
				t.Errorf("ExitCode() = %d, want %d", got, tc.want)
			}
		})
	}
}
