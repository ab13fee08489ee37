package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/report/reporttest"
)

func TestDemo(t *testing.T) {
	t.Parallel()
	steps := migrateSteps(t)
	dir := filepath.Join(t.TempDir(), "demo")
	stdout, _ := mustRun(t, 0, "demo", "--dir", dir, "--messages", "2000")
	mustContain(t, "demo", stdout, "== Creating a lab estate in "+dir, "2000 messages", "== Dry run:", "== Migration:", fmt.Sprintf("== Result (done, %d steps in", len(steps)))
	// The dry run and the migration both show every step.
	for i, name := range steps {
		head := fmt.Sprintf("== Step %d/%d: %s ==", i+1, len(steps), name)
		if n := strings.Count(stdout, head); n != 2 {
			t.Errorf("demo shows %q %d times, want 2 (dry run and migration)", head, n)
		}
	}
	// The verdict is the run's reconciliation.
	mustContain(t, "demo result", stdout, "2,000 of 2,000 messages present", "EQUAL: source and target hold the same",
		"default Persistent Chat pool pchat19.contoso.com", "Users: ", "still on fe15.contoso.com")
	var rep struct {
		Reconciliation struct {
			Verdict string `json:"verdict"`
		} `json:"reconciliation"`
	}
	decodeJSON(t, readFile(t, filepath.Join(dir, "report.json")), &rep)
	if rep.Reconciliation.Verdict != "EQUAL" {
		t.Errorf("report.json reconciliation verdict %q, want EQUAL", rep.Reconciliation.Verdict)
	}
	for _, f := range []string{"report.json", "plan.json"} {
		if !json.Valid(readFile(t, filepath.Join(dir, f))) {
			t.Errorf("%s is not valid JSON", f)
		}
	}
	// The report's first screen: the verdict, the totals, the picture.
	page := reporttest.Parse(t, readFile(t, filepath.Join(dir, "report.html")))
	if status := page.FirstScreen(t, true, true); !strings.HasPrefix(status, "EQUAL Migration complete") {
		t.Errorf("report status %q", status)
	}
	mustContain(t, "report totals", page.Text(page.ByID("totals")), "Messages 2,000 → 2,000", "Errors 0")
	mustContain(t, "report chart", page.Text(page.ByID("chart")), "Engineering", "Messages", "Rooms")

	// A second demo in the same folder refuses to overwrite it.
	before := hashTree(t, dir)
	_, stderr, code := runCmd(t, "demo", "--dir", dir, "--messages", "2000")
	if code != exitError {
		t.Errorf("second demo in %s: exit %d, want %d", dir, code, exitError)
	}
	mustContain(t, "stderr", stderr, "already exists", "--overwrite")
	if diff := cmp.Diff(before, hashTree(t, dir)); diff != "" {
		t.Errorf("a refused demo changed the folder (-before +after):\n%s", diff)
	}
}
