package main

import (
	"path/filepath"
	"testing"
)

// TestRefusedOutputNamesThePcmigFileItIs: a --plan or --runbook that names
// a pcmig report is refused (docs/estate.md: a file is replaced only by one
// of its own kind), and the refusal says what the file is. An HTML report
// was described as "another HTML page", as if pcmig did not know its own
// report, and a plan given as --runbook as "another JSON file".
func TestRefusedOutputNamesThePcmigFileItIs(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	estFile := filepath.Join(est, "estate.lua")
	dir := t.TempDir()
	page, plan := filepath.Join(dir, "r.html"), filepath.Join(dir, "p.json")
	mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run", "--report", page, "--plan", plan)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", page}, "--plan " + page + " is not a pcmig plan (it is a pcmig report)"},
		{[]string{"--runbook", page}, "--runbook " + page + " is not a pcmig runbook (it is a pcmig report)"},
		{[]string{"--runbook", plan}, "--runbook " + plan + " is not a pcmig runbook (it is a pcmig plan)"},
	} {
		_, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile, "--dry-run"}, tc.args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		mustContain(t, "refusal", stderr, tc.want)
	}
}
