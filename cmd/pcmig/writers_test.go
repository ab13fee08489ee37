package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// finish waits for a child and returns its output and exit code.
func (c *child) finish(t *testing.T) (stdout, stderr string, code int) {
	t.Helper()
	for range c.lines {
	}
	err := c.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return c.output(), c.stderr.String(), c.cmd.ProcessState.ExitCode()
}

// together starts the commands as child processes at the same moment and
// waits for all of them.
func together(t *testing.T, commands ...[]string) (stdouts, stderrs []string, codes []int) {
	t.Helper()
	children := make([]*child, len(commands))
	for i, args := range commands {
		children[i] = startChild(t, args...)
	}
	stdouts, stderrs, codes = make([]string, len(commands)), make([]string, len(commands)), make([]int, len(commands))
	var wg sync.WaitGroup
	for i, c := range children {
		wg.Go(func() {
			for range c.lines {
			}
		})
		_ = i
	}
	wg.Wait()
	for i, c := range children {
		stdouts[i], stderrs[i], codes[i] = c.finish(t)
	}
	return stdouts, stderrs, codes
}

// TestTwoImportsIntoOneTargetNeverDouble starts two pcmig processes that
// import the same archive into the same target at the same time, many
// times over: the second is refused while the first writes (naming it),
// or runs after it and finds everything there; a message is never
// imported twice.
func TestTwoImportsIntoOneTargetNeverDouble(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "3000")
	zip := exportArchive(t, est)
	src := openDB(t, filepath.Join(est, "source-2015.db"))
	want := queryInt(t, src, `SELECT COUNT(*) FROM tblChat`)
	const tries = 8
	refused := 0
	for i := range tries {
		dir := t.TempDir()
		target := filepath.Join(dir, "target.db")
		labtest.CopyFile(t, filepath.Join(est, "target-2019.db"), target)
		archive := filepath.Join(dir, "pchat.zip")
		labtest.CopyFile(t, zip, archive)
		args := []string{"import", "--db", "sqlite:" + target, "--file", archive}
		stdouts, stderrs, codes := together(t, args, args)
		ok := 0
		for j, code := range codes {
			switch code {
			case 0:
				ok++
			case exitError:
				refused++
				mustContain(t, "the refused import's stderr", stderrs[j], "target.db", "another pcmig", "pcmig import", "pid ")
			default:
				t.Errorf("try %d: import %d exit %d\nstdout:\n%s\nstderr:\n%s", i, j, code, stdouts[j], stderrs[j])
			}
		}
		if ok == 0 {
			t.Errorf("try %d: neither import finished:\n%s\n%s", i, stderrs[0], stderrs[1])
		}
		db := openDB(t, target)
		if got := queryInt(t, db, `SELECT COUNT(*) FROM tblChat`); got != want {
			t.Fatalf("try %d: the target holds %d messages, the archive %d (exit codes %v)\n%s\n%s", i, got, want, codes, stdouts[0], stdouts[1])
		}
		if dup := queryInt(t, db, `SELECT COUNT(*) FROM (SELECT COUNT(*) FROM tblNode GROUP BY nodeName HAVING COUNT(*) > 1)`); dup != 0 {
			t.Fatalf("try %d: %d names appear twice in tblNode", i, dup)
		}
		db.Close()
		// A refused import run again finishes the job, adding nothing.
		out, _ := mustRun(t, 0, args...)
		mustContain(t, "the re-run", out, "0 messages")
	}
	t.Logf("%d of %d concurrent imports were refused", refused, tries)
}

// TestTwoEstatesOnOneTargetNeverDouble runs the bundled procedure on two
// estates with separate state folders (so the run lock beside each estate
// cannot see the other) that name the same target database, at the same
// time: the target's writer lock refuses one of them, and a rerun of it
// afterwards finds everything there.
func TestTwoEstatesOnOneTargetNeverDouble(t *testing.T) {
	t.Parallel()
	a := labEstate(t, "--messages", "3000")
	b := filepath.Join(t.TempDir(), "estate-b")
	if err := os.Mkdir(b, 0o755); err != nil {
		t.Fatal(err)
	}
	estA := filepath.Join(a, "estate.lua")
	estB := filepath.Join(b, "estate.lua")
	text := string(readFile(t, estA))
	for _, name := range []string{"source-2015.db", "target-2019.db", "topology.xml", "users.csv", "filestore-2015", "filestore-2019", "pool-settings.json"} {
		text = strings.ReplaceAll(text, `"`+name+`"`, `"`+filepath.ToSlash(filepath.Join(a, name))+`"`)
		text = strings.ReplaceAll(text, `"sqlite:`+name+`"`, `"sqlite:`+filepath.ToSlash(filepath.Join(a, name))+`"`)
	}
	writeFile(t, estB, text)
	want := queryInt(t, openDB(t, filepath.Join(a, "source-2015.db")), `SELECT COUNT(*) FROM tblChat`)
	_, stderrs, codes := together(t, []string{"run", "--estate", estA}, []string{"run", "--estate", estB})
	for i, code := range codes {
		if code != 0 {
			mustContain(t, "the refused run's stderr", stderrs[i], "another pcmig", "pid ")
			mustRun(t, 0, "run", "--estate", []string{estA, estB}[i], "--resume")
		}
	}
	if got := queryInt(t, openDB(t, filepath.Join(a, "target-2019.db")), `SELECT COUNT(*) FROM tblChat`); got != want {
		t.Fatalf("the target holds %d messages, the source %d (exit codes %v)\n%s\n%s", got, want, codes, stderrs[0], stderrs[1])
	}
}
