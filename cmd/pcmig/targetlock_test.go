package main

import (
	"path/filepath"
	"testing"
)

// TestRunStoppedByAHeldTargetLockSaysResume: another estate's run writes to
// this estate's target (the two share it), so this run exports (step 1)
// and is refused at the import. Its journal rightly holds the finished
// export; the refusal must say to resume this run once the other has
// ended, and the resume then finishes it (a plain run is refused: an
// earlier run did not finish).
func TestRunStoppedByAHeldTargetLockSaysResume(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	lk := holdWriterLock(t, filepath.Join(est, "target-2019.db.pcmig-lock"))
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"))
	if code != exitError {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, "another pcmig process is writing", "--resume")
	if err := lk.Release(); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"), "--resume")
}
