package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestStoppedRunSaysHowToResume: a real run that stopped in a step (an
// error, Ctrl-C) ended with only the step's error ("step 2 "beta"
// failed: ...: boom", "...: run cancelled"); how to go on was said only by
// the next run, refused. Its last line now names the journal, what it
// records and the command that continues the run, with the script it
// ran; that command resumes it. The run report says it too. A dry run
// (no journal) and a run stopped before its first step (nothing to
// resume) get no such line.
func TestStoppedRunSaysHowToResume(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	dir := t.TempDir()
	script := writeScript(t, dir, "w.lua", `step("alpha", function() print("alpha runs") end)
step("beta", function() error("beta fails") end)
`)
	html := filepath.Join(dir, "run.html")
	_, stderr := mustRun(t, 1, "run", script, "--estate", estFile, "--report", html)
	want := "pcmig: the journal " + filepath.Join(est, ".pcmig", "run-journal.json") + ` records the 1 finished step: once the cause above is fixed, continue with: pcmig run ` +
		script + " --estate " + estFile + ` --resume, which skips it and runs step "beta" again`
	if got := lastLine(stderr); got != want {
		t.Errorf("the stopped run's last line is\n%s\nwant\n%s", got, want)
	}
	mustContain(t, "the stopped run's report", string(readFile(t, html)), "To continue", "run the same command with --resume: it skips the 1 step this run")

	// The advice, followed with the script fixed, resumes the run.
	writeScript(t, dir, "w.lua", `step("alpha", function() print("alpha runs") end)
step("beta", function() print("beta runs") end)
`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", estFile, "--resume")
	mustContain(t, "the resumed run", stdout, "skipped (finished in an earlier run)", "beta runs")
	if strings.Contains(stdout, "alpha runs") {
		t.Errorf("the resumed run ran alpha again:\n%s", stdout)
	}

	// Nothing to resume: a dry run, and a run stopped before its first step.
	failing := writeScript(t, dir, "x.lua", `step("alpha", function() error("alpha fails") end)`)
	_, stderr = mustRun(t, 1, "run", failing, "--estate", estFile, "--dry-run", "--fresh")
	before := writeScript(t, dir, "y.lua", "error(\"before any step\")\nstep(\"alpha\", function() end)\n")
	_, stderr2 := mustRun(t, 1, "run", before, "--estate", estFile, "--fresh")
	for _, s := range []string{stderr, stderr2} {
		if strings.Contains(s, "--resume") {
			t.Errorf("a run with nothing to resume advises --resume:\n%s", s)
		}
	}
}

// TestInterruptedRunSaysHowToResume: Ctrl-C in a step ended a run with
// "step 1 "spin" failed: spin.lua:1: run cancelled" and nothing else.
func TestInterruptedRunSaysHowToResume(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	script := writeScript(t, t.TempDir(), "spin.lua", `local log = require("log")
step("spin", function() log.warn("spinning") while true do end end)
`)
	code, stdout, stderr := runCancelledAt(t, "spinning", "run", script, "--estate", estFile)
	if code != exitError {
		t.Fatalf("interrupted run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	want := `records that the run stopped in its first step, "spin": interrupted (Ctrl-C or SIGTERM); continue with: pcmig run ` +
		script + " --estate " + estFile + " --resume, which runs it again"
	if got := lastLine(stderr); !strings.HasSuffix(got, want) {
		t.Errorf("the interrupted run's last line is\n%s\nwant it to end\n%s", got, want)
	}
}

// TestRefusedRunReportSaysNoStepRan: the report of a run refused before
// its first step (an unfinished earlier run) said "The run failed.",
// "The script has no steps." and 0 errors beside the refusal.
func TestRefusedRunReportSaysNoStepRan(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	dir := t.TempDir()
	script := writeScript(t, dir, "w.lua", `step("alpha", function() error("alpha fails") end)`)
	mustRun(t, 1, "run", script, "--estate", estFile)
	html := filepath.Join(dir, "refused.html")
	mustRun(t, 1, "run", script, "--estate", estFile, "--report", html)
	page := string(readFile(t, html))
	mustContain(t, "the refused run's report", page, "The run stopped before its first step.", "No step ran: the run stopped before its first step.", "use --resume to continue it")
	if strings.Contains(page, "The script has no steps.") {
		t.Errorf("the refused run's report says the script has no steps")
	}
	if strings.Contains(page, "To continue") {
		t.Errorf("the refused run's report gives the advice of a run it did not make")
	}
}

// TestResumeOfAFinishedRunSaysSo: --resume after a run that finished
// skipped every step ("skipped (finished in an earlier run)", the
// reconciliation too) and exited 0 without a word that nothing was
// continued or checked. A warning now says that the journal's run
// finished and how to run the script again.
func TestResumeOfAFinishedRunSaysSo(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	script := writeScript(t, t.TempDir(), "w.lua", `step("alpha", function() print("alpha runs") end)
step("beta", function() print("beta runs") end)
`)
	mustRun(t, 0, "run", script, "--estate", estFile)
	stdout, stderr := mustRun(t, 0, "run", script, "--estate", estFile, "--resume")
	if strings.Contains(stdout, "runs") {
		t.Errorf("the resume ran a step:\n%s", stdout)
	}
	mustContain(t, "the resume of a finished run", stderr, "shows that the run of "+script+" started ",
		" finished (2 steps): --resume has nothing to continue and skips every step it finished, its reconciliation included; to run the script again, checking the pools as they are now, run it without --resume")
	_, stderr = mustRun(t, 0, "run", script, "--estate", estFile)
	if strings.Contains(stderr, "nothing to continue") {
		t.Errorf("a run without --resume warns of resuming:\n%s", stderr)
	}
}
