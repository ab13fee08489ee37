package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/runbook"
)

// TestResumeAfterTheEstateMovedUsesItsCurrentPaths kills a run of a real
// estate whose file stores are local folders (not UNC shares) in step 4,
// after the file-store copy's runbook commands were journaled, then moves
// the estate folder and resumes there. The runbook the resumed run writes
// names the file store where it is now, never the old folder. Before, the
// journal's commands were replayed as recorded: the runbook robocopied
// into the old folder's absolute path. A journal that does not record the
// folder its paths were made in (an older pcmig's) is refused, naming the
// file store, and no runbook is written.
func TestResumeAfterTheEstateMovedUsesItsCurrentPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a run in another process")
	}
	t.Parallel()
	steps := migrateSteps(t)
	est := realEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	s := string(readFile(t, estFile))
	local := strings.Replace(s, `file_store = [[\\fs19.contoso.com\pchat]],`, `file_store = "filestore-2019",`, 1)
	if local == s {
		t.Fatal("the real estate has no target file share to make local")
	}
	writeFile(t, estFile, local)
	at := fmt.Sprintf("== Step 4/%d: %s ==", len(steps), steps[3])
	killRealRun(t, estFile, at)

	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(est, moved); err != nil {
		t.Fatal(err)
	}
	_, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(moved, "estate.lua"), "--resume")
	rb := string(readFile(t, filepath.Join(moved, "runbook.ps1")))
	if strings.Contains(rb, est) {
		for _, line := range strings.Split(rb, "\n") {
			if strings.Contains(line, est) {
				t.Errorf("the resumed run's runbook names the estate's old folder: %s", line)
			}
		}
	}
	if want := runbook.Quote(filepath.Join(moved, "filestore-2019")); !strings.Contains(rb, "$NewShare = "+want) {
		t.Errorf("the resumed run's runbook does not copy into %s\nstderr:\n%s", want, stderr)
	}

	// A journal without the folder its paths were made in.
	est = realEstate(t)
	estFile = filepath.Join(est, "estate.lua")
	writeFile(t, estFile, local)
	killRealRun(t, estFile, at)
	journal := filepath.Join(est, ".pcmig", "run-journal.json")
	old := string(readFile(t, journal))
	stripped := estateDirRE.ReplaceAllString(old, "")
	if stripped == old {
		t.Fatalf("the journal records no estate folder:\n%s", old)
	}
	writeFile(t, journal, stripped)
	resealJournal(t, journal)
	moved = filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(est, moved); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(moved, "estate.lua"), "--resume")
	if code != exitError {
		t.Fatalf("resume of a moved estate whose journal does not record its folder: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, "file store "+filepath.Join(est, "filestore-2019"), "now names "+filepath.Join(moved, "filestore-2019"), "--fresh")
	if _, err := os.Stat(filepath.Join(moved, "runbook.ps1")); !os.IsNotExist(err) {
		t.Errorf("the refused resume wrote a runbook (stat: %v)", err)
	}
}

var estateDirRE = regexp.MustCompile(`,\s*"estate_dir":\s*"[^"]*"`)
