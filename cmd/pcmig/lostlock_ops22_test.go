package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunWhoseLockWasRemovedStops: an operator removes the run lock of a
// run that is still going (thought stale, or the state folder cleaned
// up), and resumes the estate's run in another process: it rightly makes and takes
// a lock of its own, and finishes. Before, the first run went on beside
// it, wrote its journal over the second's (the completed run's journal
// then showed the first's unfinished one) and exited 0; its ending also
// removed the second run's lock file. Now the first run finds, at its next
// step, that the file it locked is gone, stops (exit 1) saying so and
// what to do, and leaves the journal and the lock file as the second run
// left them.
func TestRunWhoseLockWasRemovedStops(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "10")
	estFile := filepath.Join(est, "estate.lua")
	script := filepath.Join(est, "three.lua")
	writeFile(t, script, `for _, name in ipairs({"one", "two", "three"}) do step(name, function() print("in " .. name) end) end`)
	lock := filepath.Join(est, ".pcmig", "run.lock")
	journal := filepath.Join(est, ".pcmig", "run-journal.json")

	header := "== Step 2: two =="
	gate := filepath.Join(t.TempDir(), "go")
	first := startChildEnv(t, []string{childPauseEnv + "=" + header + "|" + gate}, "run", "--estate", estFile, script)
	first.waitFor(t, header, time.Minute)
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	// The operator, told an earlier run did not finish, resumes it.
	if out, errOut, code := runChild(t, "run", "--estate", estFile, script, "--resume"); code != 0 {
		t.Fatalf("the second run: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	second := readFile(t, journal)
	var j struct {
		Completed bool              `json:"completed"`
		Steps     []json.RawMessage `json:"finished_steps"`
	}
	if err := json.Unmarshal(second, &j); err != nil || !j.Completed || len(j.Steps) != 3 {
		t.Fatalf("the second run's journal: completed %v, %d steps (%v)", j.Completed, len(j.Steps), err)
	}

	writeFile(t, gate, "")
	stdout, stderr, code := first.finish(t)
	if code != exitError {
		t.Errorf("the first run, whose lock was removed: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "the first run's stderr", stderr, "the run lock was removed or replaced while this run held it", lock, "--resume")
	if strings.Contains(stdout, "in two") || strings.Contains(stdout, "== Step 3") {
		t.Errorf("the first run went on without its lock:\n%s", stdout)
	}
	if got := readFile(t, journal); string(got) != string(second) {
		t.Errorf("the first run wrote the journal after its lock was removed:\n%s", got)
	}
	// The second run removed its lock when it ended; a run now takes one
	// and finds the journal of the second, completed.
	stdout, _ = mustRun(t, 0, "run", "--estate", estFile, script)
	mustContain(t, "a third run's stdout", stdout, "in one", "in three")
}
