//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDryRunRemovesAKilledDryRunsScratch: a dry run copies the pools'
// structure and the archive it would write (chat history) into a folder
// under the temporary folder, and a dry run killed with SIGKILL cannot
// remove it. The next dry run removes such a folder of an ended process,
// once it has been untouched for an hour, and leaves none of its own.
func TestDryRunRemovesAKilledDryRunsScratch(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	left := filepath.Join(tmp, "pcmig-dryrun-"+strconv.Itoa(ended.Process.Pid)+"-1")
	if err := os.Mkdir(left, 0o700); err != nil {
		t.Fatal(err)
	}
	history := filepath.Join(left, "0-pchat-2015.zip")
	writeFile(t, history, "chat history")
	old := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{history, left} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	est := labEstate(t, "--messages", "50")
	mustRun(t, exitPending, "run", "--estate", filepath.Join(est, "estate.lua"), "--dry-run")
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the killed dry run's folder is still there: %v", err)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "pcmig-dryrun-") {
			t.Errorf("left in the temporary folder: %s", e.Name())
		}
	}
}
