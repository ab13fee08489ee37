package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLabInitOverwriteRefusesAnEstateInUse: lab init --overwrite removes
// the run journal and replaces the databases, so it takes the locks a run
// takes first. While a run holds the estate's run lock (and its writer
// locks), or another process (a run of another estate, with a state
// folder of its own) holds one of its databases' writer locks, it is
// refused, naming the holder, and changes nothing; the run goes on and
// finishes. Before, it exited 0 and deleted the journal and the databases
// under the running run.
func TestLabInitOverwriteRefusesAnEstateInUse(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	overwrite := []string{"lab", "init", "--messages", "100", "--overwrite", est}
	steps := migrateSteps(t)
	header := fmt.Sprintf("== Step 2/%d: %s ==", len(steps), steps[1])
	gate := filepath.Join(t.TempDir(), "go")
	c := startChildEnv(t, []string{childPauseEnv + "=" + header + "|" + gate}, "run", "--estate", estFile)
	c.waitFor(t, header, time.Minute)
	before := hashTree(t, est)
	stdout, stderr, code := runCmd(t, overwrite...)
	if code != exitError {
		t.Errorf("lab init --overwrite during a run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, fmt.Sprintf("pid %d", c.cmd.Process.Pid), "nothing was changed")
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused lab init changed the estate (-before +after):\n%s", diff)
	}
	writeFile(t, gate, "")
	if out, errOut, code := c.finish(t); code != 0 {
		t.Fatalf("the run failed after the refused lab init: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	// Another process writes to the target: its writer lock, as a run of
	// another estate holds it.
	held := holdWriterLock(t, filepath.Join(est, "target-2019.db.pcmig-lock"))
	before = hashTree(t, est)
	stdout, stderr, code = runCmd(t, overwrite...)
	if code != exitError {
		t.Errorf("lab init --overwrite under a writer lock: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, "target-2019.db", "another pcmig process is writing", fmt.Sprintf("pcmig run, pid %d", os.Getpid()), "nothing was changed")
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused lab init changed the estate (-before +after):\n%s", diff)
	}
	if err := held.Release(); err != nil {
		t.Fatal(err)
	}
	// Nobody holds a lock: the estate is replaced, its runs forgotten.
	mustRun(t, 0, overwrite...)
	if _, err := os.Stat(filepath.Join(est, ".pcmig")); !os.IsNotExist(err) {
		t.Errorf("lab init --overwrite left the run state (stat: %v)", err)
	}
}
