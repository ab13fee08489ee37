//go:build unix

package scratch

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// deadPID is the ID of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot start a process to end: %v", err)
	}
	return cmd.Process.Pid
}

func TestSweepRemovesOnlyLeftOvers(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	now := time.Now()
	old := now.Add(-2 * StaleAfter)
	dead := strconv.Itoa(deadPID(t))
	live := strconv.Itoa(os.Getppid())
	// name -> whether its file is recent
	folders := map[string]bool{
		"pcmig-dryrun-" + dead + "-1":       false, // a killed dry run's: removed
		"pcmig-dryrun-" + dead + "-2":       true,  // its file changed lately: kept
		"pcmig-dryrun-" + live + "-3":       false, // its process runs: kept
		"pcmig-bench-" + dead + "-4":        false, // another kind: kept
		"pcmig-dryrun-123456789":            false, // no process ID (older pcmig): kept
		"pcmig-dryrun-0" + dead + "-5":      false, // not a name Make gives: kept
		"pcmig-dryrun-" + dead + "x-6":      false,
		"pcmig-dryrunner-" + dead + "-7":    false,
		"other-pcmig-dryrun-" + dead + "-8": false,
	}
	for name, recent := range folders {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "sub", "scratch.db")
		if err := os.WriteFile(file, []byte("history"), 0o600); err != nil {
			t.Fatal(err)
		}
		fileTime := old
		if recent {
			fileTime = now
		}
		for _, p := range []string{file, filepath.Join(dir, "sub"), dir} {
			tm := old
			if p == file {
				tm = fileTime
			}
			if err := os.Chtimes(p, tm, tm); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := Sweep("pcmig-dryrun-", now)
	want := []string{filepath.Join(tmp, "pcmig-dryrun-"+dead+"-1")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sweep removed (-want +got):\n%s", diff)
	}
	for name := range folders {
		_, err := os.Stat(filepath.Join(tmp, name))
		if gone := os.IsNotExist(err); gone != (name == "pcmig-dryrun-"+dead+"-1") {
			t.Errorf("%s: gone %v", name, gone)
		}
	}
}

func TestMakeNamesItsProcessAndSweeps(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stale := filepath.Join(tmp, "pcmig-dryrun-"+strconv.Itoa(deadPID(t))+"-9")
	if err := os.Mkdir(stale, 0o700); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * StaleAfter)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	dir, err := Make("pcmig-dryrun-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(dir), "pcmig-dryrun-"+strconv.Itoa(os.Getpid())+"-") || filepath.Dir(dir) != tmp {
		t.Errorf("Make made %s", dir)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("the new folder: %v, %v", info, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the killed process's folder is still there: %v", err)
	}
	// The folder of this process is never swept, however old.
	if err := os.Chtimes(dir, old, old); err != nil {
		t.Fatal(err)
	}
	if got := Sweep("pcmig-dryrun-", time.Now()); len(got) != 0 {
		t.Errorf("Sweep removed %v", got)
	}
}
