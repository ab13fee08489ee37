package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/verify"
)

// readRunOutput reads a report or plan JSON written for the estate in
// dir, with dir written as ESTATE, so that two estates' outputs compare.
func readRunOutput(t *testing.T, path, dir string, v any) {
	t.Helper()
	b := strings.ReplaceAll(string(readFile(t, path)), dir, "ESTATE")
	decodeJSON(t, []byte(b), v)
}

// TestResumedRunReportsEveryStep kills a run of a real estate (SIGKILL)
// and resumes it with --report and --plan: the report shows each step's
// result from the process that ran it (status, actions, warnings), and the
// reconciliation of the run that made it; the plan lists every write of
// the whole run. Both compare equal to an uninterrupted run's, apart from
// times and the earlier-run mark. One kill lands in step 7, one after the
// run journal is complete and the plan written, before the report.
func TestResumedRunReportsEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("kills runs in other processes")
	}
	t.Parallel()
	steps := migrateSteps(t)
	for _, tc := range []struct{ name, at string }{
		{"in step 7", fmt.Sprintf("== Step 7/%d: %s ==", len(steps), steps[6])},
		{"after the plan, before the report", "Plan: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			outputs := func(name string) []string {
				return []string{"--report", filepath.Join(out, name+".json"), "--plan", filepath.Join(out, name+".plan.json")}
			}
			clean := realEstate(t)
			mustRun(t, 0, append([]string{"run", "--estate", filepath.Join(clean, "estate.lua")}, outputs("clean")...)...)
			killed := realEstate(t)
			estFile := filepath.Join(killed, "estate.lua")
			at := tc.at
			if at == "Plan: " {
				at += filepath.Join(out, "killed.plan.json")
			}
			killRealRun(t, estFile, at, outputs("killed")...)
			mustRun(t, 0, append([]string{"run", "--estate", estFile, "--resume"}, outputs("resumed")...)...)

			var want, got pcrt.Report
			readRunOutput(t, filepath.Join(out, "clean.json"), clean, &want)
			readRunOutput(t, filepath.Join(out, "resumed.json"), killed, &got)
			if !got.Resumed {
				t.Error("the resumed run's report does not say it resumed")
			}
			earlier := 0
			for _, s := range got.Steps {
				if s.EarlierRun {
					earlier++
				}
			}
			if earlier == 0 {
				t.Errorf("no step of the resumed report is marked as run by an earlier process")
			}
			times := cmpopts.IgnoreFields(pcrt.StepReport{}, "Start", "End", "DurationMS", "EarlierRun")
			if diff := cmp.Diff(want.Steps, got.Steps, times); diff != "" {
				t.Errorf("resumed report's steps differ from the uninterrupted run's (-uninterrupted +resumed):\n%s", diff)
			}
			if got.Reconciliation == nil {
				t.Fatal("the resumed report has no reconciliation")
			}
			recTimes := cmpopts.IgnoreFields(verify.Result{}, "Started", "DurationMS")
			if diff := cmp.Diff(want.Reconciliation, got.Reconciliation, recTimes, cmpopts.IgnoreUnexported(verify.Result{})); diff != "" {
				t.Errorf("resumed report's reconciliation differs (-uninterrupted +resumed):\n%s", diff)
			}
			if badge := got.Page(time.Now()).Status.Badge; badge != "EQUAL" {
				t.Errorf("the resumed report's status is %s, want EQUAL", badge)
			}

			var wantPlan, gotPlan planFile
			readRunOutput(t, filepath.Join(out, "clean.plan.json"), clean, &wantPlan)
			readRunOutput(t, filepath.Join(out, "resumed.plan.json"), killed, &gotPlan)
			if diff := cmp.Diff(wantPlan, gotPlan); diff != "" {
				t.Errorf("resumed run's plan differs from the uninterrupted run's (-uninterrupted +resumed):\n%s", diff)
			}
		})
	}
}
