package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeScript writes a script at dir/name and returns its path.
func writeScript(t *testing.T, dir, name, src string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	writeFile(t, p, src)
	return p
}

// TestResumeJournalOfOtherSteps: a run's journal records finished steps
// ("alpha"); --resume with another script of the same file name (or the
// script with its steps renamed) met none of them and ran every step
// from the first, exit 0, with only "w.lua has changed since the journal
// was written; steps are matched by name". It is refused now before that
// step, naming the journal, its steps and the step it would have run,
// and the journal is left as it was; the script the journal was written
// by, or one that kept the finished step's name, still resumes.
func TestResumeJournalOfOtherSteps(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	dir := t.TempDir()
	first := writeScript(t, filepath.Join(dir, "a"), "w.lua", `step("alpha", function() print("alpha runs") end)
step("beta", function() error("beta fails") end)
`)
	other := writeScript(t, filepath.Join(dir, "b"), "w.lua", `step("gamma", function() print("gamma runs") end)
step("delta", function() print("delta runs") end)
`)
	mustRun(t, 1, "run", first, "--estate", estFile)
	journal := filepath.Join(est, ".pcmig", "run-journal.json")
	before := readFile(t, journal)

	for _, dry := range []bool{false, true} {
		args := []string{"run", other, "--estate", estFile, "--resume"}
		if dry {
			args = append(args, "--dry-run")
		}
		stdout, stderr := mustRun(t, 1, args...)
		mustContain(t, "stderr", stderr, "the journal's finished steps are not this script's", journal,
			`1 finished step of the run of `+first, `("alpha")`, `"gamma", is none of them`, "--fresh")
		if strings.Contains(stdout, "gamma runs") || strings.Contains(stdout, "Step 1") {
			t.Errorf("dry run %v: the refused resume ran a step:\n%s", dry, stdout)
		}
		if dry {
			mustContain(t, "stdout", stdout, "The dry run stopped at an error before its first step: nothing was planned.")
		}
		if !bytes.Equal(before, readFile(t, journal)) {
			t.Fatalf("dry run %v: the refused resume changed the journal", dry)
		}
	}

	// The step kept its name in the changed script: resumed, alpha skipped.
	renamedLater := writeScript(t, filepath.Join(dir, "c"), "w.lua", `step("alpha", function() print("alpha runs") end)
step("beta fixed", function() print("beta fixed runs") end)
`)
	stdout, stderr := mustRun(t, 0, "run", renamedLater, "--estate", estFile, "--resume")
	mustContain(t, "stdout", stdout, "skipped (finished in an earlier run)", "beta fixed runs")
	if strings.Contains(stderr, "not this script's") {
		t.Errorf("a resume that skips the journal's step was refused:\n%s", stderr)
	}
}

// TestResumeSameScriptCaughtFirstStep: with the script's own text the
// journal's steps are the script's even when none comes first: the first
// step failed, the script caught it and the second finished. --resume
// runs the first again and is not refused.
func TestResumeSameScriptCaughtFirstStep(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	script := writeScript(t, t.TempDir(), "w.lua", `pcall(step, "alpha", function() error("alpha fails") end)
step("beta", function() print("beta runs") end)
`)
	mustRun(t, 1, "run", script, "--estate", estFile)
	stdout, stderr, _ := runCmd(t, "run", script, "--estate", estFile, "--resume")
	if strings.Contains(stderr, "not this script's") {
		t.Errorf("the resume of the same script was refused:\n%s", stderr)
	}
	mustContain(t, "stdout", stdout, "== Step 1: alpha ==", "skipped (finished in an earlier run)")
}

// TestDryRunStoppedSaysOneThing: a dry run refused before its first step
// (a journal of another estate) printed "The dry run stopped at an error:
// the plan below covers only the steps before it." and then "Dry run: no
// changes pending.", and one that stopped in a step having planned
// nothing said the same: no change pending, yet the rest was never
// planned. Each now says one true thing.
func TestDryRunStoppedSaysOneThing(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	script := writeScript(t, t.TempDir(), "w.lua", `step("alpha", function() print("alpha runs") end)
step("beta", function() error("beta fails") end)
`)
	stdout, _ := mustRun(t, 1, "run", script, "--estate", estFile, "--dry-run")
	mustContain(t, "stdout", stdout, "The dry run stopped at an error: what ran before it plans no changes; the rest was not planned.")
	if strings.Contains(stdout, "no changes pending") || strings.Contains(stdout, "the plan below") {
		t.Errorf("dry run stopped in a step:\n%s", stdout)
	}

	mustRun(t, 1, "run", script, "--estate", estFile)
	other := filepath.Join(est, "estate-b.lua")
	writeFile(t, other, strings.Replace(string(readFile(t, estFile)), "sqlite:target-2019.db", "sqlite:target-b.db", 1))
	if err := os.WriteFile(filepath.Join(est, "target-b.db"), readFile(t, filepath.Join(est, "target-2019.db")), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := mustRun(t, 1, "run", script, "--estate", other, "--dry-run", "--resume")
	mustContain(t, "stderr", stderr, "the estate changed since the run that wrote the journal")
	mustContain(t, "stdout", stdout, "The dry run stopped at an error before its first step: nothing was planned.")
	if strings.Contains(stdout, "no changes pending") || strings.Contains(stdout, "the plan below") {
		t.Errorf("dry run refused before its first step:\n%s", stdout)
	}
}

// TestResumeWarnsOfRenamedStep: the script changed between a stopped run
// and its resume, its second step renamed: the resume skipped "alpha" and
// ran the renamed step again, though the journal says it finished, with
// only "w.lua has changed since the journal was written; steps are
// matched by name". A warning now names the journal's finished step not
// met before the step that runs.
func TestResumeWarnsOfRenamedStep(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	dir := t.TempDir()
	first := writeScript(t, filepath.Join(dir, "a"), "w.lua", `step("alpha", function() end)
step("beta", function() end)
step("gamma", function() error("gamma fails") end)
`)
	renamed := writeScript(t, filepath.Join(dir, "b"), "w.lua", `step("alpha", function() end)
step("beta, renamed", function() print("beta runs again") end)
step("gamma", function() end)
`)
	mustRun(t, 1, "run", first, "--estate", estFile)
	stdout, stderr := mustRun(t, 0, "run", renamed, "--estate", estFile, "--resume")
	mustContain(t, "stdout", stdout, "beta runs again")
	mustContain(t, "stderr", stderr, `records 1 finished step ("beta") that this run has not met before step "beta, renamed", which it runs now`)
	if strings.Count(stderr, "has not met") != 1 {
		t.Errorf("the warning is not said once:\n%s", stderr)
	}
}
