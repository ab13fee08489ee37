package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWithAFailedStepTheScriptCaughtIsNotDone runs a script that
// catches a failed step's error with pcall and goes on: the run, dry or
// real, is not done (a step that failed did not finish), so it exits 1,
// its report says failed, and the journal keeps the run resumable:
// --resume runs the failed step again, and only it. The run said "done",
// exited 0 (2 for the dry run: "changes pending") and marked the journal
// completed.
func TestRunWithAFailedStepTheScriptCaughtIsNotDone(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	est := filepath.Join(dir, "estate.lua")
	script := filepath.Join(t.TempDir(), "caught.lua")
	// The export fails while the estate's script table says so (the
	// pool "nosuch" is not one of the estate's); the script goes on.
	writeFile(t, script, `local export = require("export")
local estate = require("estate")
local ok = pcall(step, "export the source pool", function()
  if estate.script and estate.script.fail then export.run("nosuch") end
  print("exported")
end)
if not ok then print("the export failed; going on") end
step("second", function() print("second ran") end)
`)
	for _, dry := range []bool{true, false} {
		args := []string{"run", script, "--estate", est, "--report", filepath.Join(dir, "r.json")}
		if dry {
			args = append(args, "--dry-run")
		}
		// The estate's script table tells the script to fail.
		data, err := os.ReadFile(est)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "script = { fail = true }") {
			writeFile(t, est, strings.Replace(string(data), "return {", "return {\n  script = { fail = true },", 1))
		}
		stdout, stderr, code := runCmd(t, args...)
		if code != 1 {
			t.Fatalf("dry run %v: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", dry, code, stdout, stderr)
		}
		mustContain(t, "stdout", stdout, "the export failed; going on", "second ran")
		mustContain(t, "stderr", stderr, `step 1 "export the source pool" failed:`, "not_found", "the script caught")
		var rep struct {
			Status string `json:"status"`
			Error  string `json:"error"`
		}
		data, err = os.ReadFile(filepath.Join(dir, "r.json"))
		if err != nil {
			t.Fatal(err)
		}
		decodeJSON(t, data, &rep)
		if rep.Status != "failed" || !strings.Contains(rep.Error, "the script caught") {
			t.Errorf("dry run %v: report status %q, error %q; want failed, naming the caught step", dry, rep.Status, rep.Error)
		}
	}
	// The journal was not marked complete: a plain run is refused, and
	// --resume runs the export again (now without the failure) and skips
	// the step that finished.
	var j struct {
		Completed bool `json:"completed"`
	}
	data, err := os.ReadFile(filepath.Join(dir, ".pcmig", "run-journal.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	if j.Completed {
		t.Errorf("the journal says the run completed:\n%s", data)
	}
	_, stderr, code := runCmd(t, "run", script, "--estate", est)
	if code != 1 || !strings.Contains(stderr, "--resume") {
		t.Errorf("a run after it: exit %d, stderr %q; want 1, saying to --resume", code, stderr)
	}
	data, _ = os.ReadFile(est)
	writeFile(t, est, strings.Replace(string(data), "script = { fail = true },", "", 1))
	stdout, stderr := mustRun(t, 0, "run", script, "--estate", est, "--resume")
	mustContain(t, "stdout of --resume", stdout, "exported")
	if strings.Contains(stdout, "second ran") {
		t.Errorf("--resume ran the step that finished:\n%s\n%s", stdout, stderr)
	}
}
