package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRunErrorOutsideStepsIsNotAStepsError: a script caught a failed step's
// error and later failed outside any step with another error; the last line
// named the step as failing with that other error ('step 1 "a" failed:
// sa.lua:2: later, outside the steps'), though step "a" had failed with
// "inside a". It now names the step only for the step's own error (the
// caught one, which ends a run that otherwise completes, still names it).
func TestRunErrorOutsideStepsIsNotAStepsError(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	est := filepath.Join(dir, "estate.lua")
	script := filepath.Join(t.TempDir(), "sa.lua")
	writeFile(t, script, `pcall(step, "a", function() error("inside a") end)
error("later, outside the steps")
`)
	_, stderr, code := runCmd(t, "run", script, "--estate", est)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstderr: %s", code, stderr)
	}
	mustContain(t, "stderr", stderr, "pcmig: "+script+":2: later, outside the steps")
	if strings.Contains(stderr, `step 1 "a" failed: `+script+`:2`) {
		t.Errorf("the error outside the steps is named as step a's:\n%s", stderr)
	}
	// The step's own error, caught, still names the step.
	writeFile(t, script, `pcall(step, "a", function() error("inside a") end)
print("went on")
`)
	_, stderr, code = runCmd(t, "run", script, "--estate", est, "--fresh")
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstderr: %s", code, stderr)
	}
	mustContain(t, "stderr", stderr, `pcmig: step 1 "a" failed: `+script+`:1: inside a (the script caught`)
}
