package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/proc"
)

// waitPaused waits until a child started with childPauseEnv stops at its
// text (pauseWriter creates gate.paused).
func waitPaused(t *testing.T, c *child, gate string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(gate + ".paused"); err == nil {
			return
		}
		ended := false
		select {
		case _, ok := <-c.lines: // kept in c.output()
			ended = !ok
		default:
		}
		if ended || time.Now().After(deadline) {
			t.Fatalf("the child did not stop at its pause\nstdout:\n%s", c.output())
		}
	}
}

// TestReadersRefusedWhileAnotherProcessImports: a pcmig import (another
// process) stops while it writes to an embedded target: overlapped, under
// its hold (store/hold.go) with messages written and not committed; and
// sequential, with one part of three committed. Every command that reads
// that target meanwhile (export, verify, doctor, inventory, a dry run, a
// script's run through the Lua bindings) and a second import are refused,
// exit 1, naming the import, its account and pid, and write nothing (no
// archive, no report); `pcmig run --timeout` waits for it up to its limit,
// then says so. Once the import ends, the same commands read the whole
// pool. Before, the export wrote an archive of the pool as it was before
// the import (0 rooms, exit 0) or of the part committed, and verify
// reported DIFFERENT (exit 3) without a word about the import.
func TestReadersRefusedWhileAnotherProcessImports(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 messages twice")
	}
	account := proc.User(os.Getenv) // the child's environment is this process's
	for _, mode := range []struct {
		name  string
		pause string
		vars  []string
	}{
		{"overlapped", "import messages, not yet committed: 10000 of 30000", nil},
		{"sequential", "import messages: 10000 of 30000", []string{sequentialImportEnv + "=1"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", strconv.Itoa(overlapMessages))
			arc := exportArchive(t, est)
			target := filepath.Join(est, "target-2019.db")
			source := filepath.Join(est, "source-2015.db")
			gate := filepath.Join(t.TempDir(), "go")
			c := startChildEnv(t, append([]string{childPauseEnv + "=" + mode.pause + "|" + gate}, mode.vars...),
				"import", "--db", "sqlite:"+target, "--file", arc)
			waitPaused(t, c, gate)
			held := fmt.Sprintf("held by pcmig import run by %s, pid %d on host ", account, c.cmd.Process.Pid)

			out := t.TempDir()
			readers := [][]string{
				{"export", "--db", "sqlite:" + target, "--file", filepath.Join(out, "export.zip")},
				{"verify", "--source", "sqlite:" + source, "--target", "sqlite:" + target, "--report", filepath.Join(out, "verify.html")},
				{"doctor", "--db", "sqlite:" + target},
				{"inventory", "--db", "sqlite:" + target},
				{"import", "--db", "sqlite:" + target, "--file", arc, "--dry-run"},
			}
			for _, args := range readers {
				stdout, stderr, code := runChild(t, args...)
				if code != exitError {
					t.Errorf("%s during the import: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args[0], code, exitError, stdout, stderr)
				}
				mustContain(t, args[0]+"'s output", stdout+stderr, "sqlite:"+target, "another pcmig process is writing to this database", held, "reads nothing", "wait until it ends")
			}
			_, stderr, code := runChild(t, "import", "--db", "sqlite:"+target, "--file", arc)
			if code != exitError {
				t.Errorf("a second import: exit %d, want %d", code, exitError)
			}
			mustContain(t, "the second import's stderr", stderr, held)
			if entries, err := os.ReadDir(out); err != nil || len(entries) != 0 {
				t.Errorf("the refused readers wrote %v (%v)", entries, err)
			}

			// A script's run: refused at its first look at the target
			// (the pre-flight); with --timeout it waits, then says who
			// holds the target and how long it waited.
			estFile := filepath.Join(est, "estate.lua")
			for _, extra := range [][]string{nil, {"--timeout", "4s"}} {
				start := time.Now()
				stdout, stderr, code := runChild(t, append([]string{"run", "--estate", estFile}, extra...)...)
				if code != exitError {
					t.Errorf("run %v during the import: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", extra, code, exitError, stdout, stderr)
				}
				mustContain(t, fmt.Sprintf("run %v's output", extra), stdout+stderr, held)
				if extra != nil {
					t.Logf("run --timeout:\n%s%s", stdout, stderr)
					mustContain(t, "run --timeout's output", stdout+stderr, "shortly before the run's --timeout ends")
					if took := time.Since(start); took < 2*time.Second || took > 30*time.Second {
						t.Errorf("run --timeout 4s gave up after %s", took)
					}
				}
			}

			writeFile(t, gate, "")
			if stdout, stderr, code := c.finish(t); code != 0 {
				t.Fatalf("the import: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			mustRun(t, 0, readers[0]...)
			stdout, _ := mustRun(t, 0, readers[1]...)
			mustContain(t, "verify after the import", stdout, "EQUAL")
		})
	}
}
