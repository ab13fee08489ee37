package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleBudgetPerStep: a script (or an estate) that warns once per
// category, room or principal printed every warning and error on the
// console: hard24's hand-built pool of 2,000 rooms gave 100 WARN and 100
// ERROR lines in two steps of migrate.lua. Now a step writes at most
// ConsoleStepLines of each to the console and then one line saying how
// many more there were; the report keeps every one, and --log-level
// debug prints them all.
func TestConsoleBudgetPerStep(t *testing.T) {
	t.Parallel()
	dir := labEstate(t)
	script := filepath.Join(dir, "flood.lua")
	writeFile(t, script, `local log = require("log")
for i = 1, 25 do log.warn("outside %d", i) end
step("warns", function()
  for i = 1, 100 do log.warn("category %d: creator not provisioned", i) end
  for i = 1, 30 do log.error("category %d has no creator", i) end
end)
step("quiet", function()
  for i = 1, 3 do log.warn("few %d", i) end
end)
`)
	rep := filepath.Join(dir, "run.json")
	_, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"), "--report", rep, script)
	for _, c := range []struct {
		each string
		want int
	}{{"WARN outside ", 20}, {"creator not provisioned", 20}, {"has no creator", 20}, {"WARN few ", 3}} {
		if got := strings.Count(stderr, c.each); got != c.want {
			t.Errorf("%d console lines with %q, want %d", got, c.each, c.want)
		}
	}
	mustContain(t, "run", stderr,
		"WARN ... 5 more warnings outside the steps not shown (25 in all): the report lists every one, --log-level debug prints them here",
		"WARN ... 80 more warnings in this step not shown (100 in all)",
		"ERROR ... 10 more errors in this step not shown (30 in all)")
	if strings.Count(stderr, "not shown") != 3 {
		t.Errorf("want three summary lines:\n%s", stderr)
	}
	var r struct {
		Warnings []string `json:"warnings"`
		Steps    []struct {
			Warnings []string `json:"warnings"`
			Errors   []string `json:"errors"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(readFile(t, rep), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 25 || len(r.Steps) != 2 || len(r.Steps[0].Warnings) != 100 || len(r.Steps[0].Errors) != 30 || len(r.Steps[1].Warnings) != 3 {
		t.Errorf("report: %d warnings outside steps, steps %+v; want 25, then 100 warnings and 30 errors, then 3 warnings", len(r.Warnings), len(r.Steps))
	}

	// Without --report no report is written: the line says how to get one
	// (rev24 found "the report lists every one" there).
	_, stderr = mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"), "--fresh", script)
	mustContain(t, "run without --report", stderr,
		"WARN ... 80 more warnings in this step not shown (100 in all): --report FILE.html lists every one, --log-level debug prints them here")
	if strings.Contains(stderr, "the report lists") {
		t.Errorf("a run without --report points to a report:\n%s", stderr)
	}

	_, stderr = mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"), "--fresh", "--log-level", "debug", script)
	if got := strings.Count(stderr, "creator not provisioned"); got != 100 || strings.Contains(stderr, "not shown") {
		t.Errorf("--log-level debug: %d of 100 warnings shown, or a summary:\n%s", got, fmt.Sprint(strings.Count(stderr, "not shown")))
	}
}
