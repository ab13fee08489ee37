package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// childUser is the account the holding run of these tests runs as, by
// its environment (USER on Unix, USERDOMAIN\USERNAME on Windows).
var childUserVars = []string{"USER=pcmig-ops31", "LOGNAME=pcmig-ops31", "USERNAME=pcmig-ops31", "USERDOMAIN="}

// TestRunLockNamesItsUserAndCommand: a run holds the estate's run lock in
// another process. A second run is refused naming the holder's pid and
// host, user and command and since when; a dry run and verify --estate
// warn once that a run is in progress, naming it; here, where the run has
// the estate's embedded databases open to write them, they are then
// refused by the store, naming the run as that database's writer, user
// included (a reader of such a database is: docs/store.md), and read
// nothing. Once the run has ended neither warns. Before, the lock
// recorded neither the user nor the command, and the dry run and verify
// said nothing of the run going on under them.
func TestRunLockNamesItsUserAndCommand(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	estFile := filepath.Join(est, "estate.lua")
	steps := migrateSteps(t)
	header := fmt.Sprintf("== Step 2/%d: %s ==", len(steps), steps[1])
	gate := filepath.Join(t.TempDir(), "go")
	c := startChildEnv(t, append([]string{childPauseEnv + "=" + header + "|" + gate}, childUserVars...), "run", "--estate", estFile)
	c.waitFor(t, header, time.Minute)
	pid := c.cmd.Process.Pid
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}

	_, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code != exitError {
		t.Errorf("a second run: exit %d, want %d\n%s", code, exitError, stderr)
	}
	mustContain(t, "the second run's stderr", stderr, "another run holds the lock",
		fmt.Sprintf("is held by pid %d on host %s (user pcmig-ops31, command pcmig run --estate %s, script migrate.lua, since ", pid, host, estFile))

	const warning = "a run is in progress on this estate"
	for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}} {
		stdout, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("pcmig %s during a run: exit %d, want %d (refused by the store)\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exitError, stdout, stderr)
		}
		mustContain(t, "stderr of pcmig "+strings.Join(args, " "), stderr,
			"another pcmig process is writing to this database: held by pcmig run run by pcmig-ops31, pid "+strconv.Itoa(pid))
		if n := strings.Count(stdout+stderr, warning); n != 1 {
			t.Errorf("pcmig %s during a run warns %d times, want once:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), n, stdout, stderr)
		}
		mustContain(t, "stderr of pcmig "+strings.Join(args, " "), stderr,
			fmt.Sprintf("pid %d on host %s (user pcmig-ops31, command pcmig run --estate %s", pid, host, estFile), "the figures may move")
	}

	writeFile(t, gate, "")
	if out, errOut, code := c.finish(t); code != 0 {
		t.Fatalf("the holding run: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}} {
		stdout, stderr, _ := runCmd(t, args...)
		if strings.Contains(stdout+stderr, warning) {
			t.Errorf("pcmig %s after the run ended warns of it:\n%s", strings.Join(args, " "), stderr)
		}
	}
}

// TestRunLockOfAnotherHost: a run lock whose record names another host
// (a state folder on a share) cannot be probed from here: its OS lock may
// not reach this host. A run is refused, saying the lock may be held by
// that host, by whom, with which command and since when, and how to check
// there; the file is left as it is. A dry run and verify --estate warn
// once and read.
func TestRunLockOfAnotherHost(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	estFile := filepath.Join(est, "estate.lua")
	state := filepath.Join(est, ".pcmig")
	if err := os.Mkdir(state, 0o755); err != nil {
		t.Fatal(err)
	}
	rec, err := json.Marshal(map[string]any{"pid": 4242, "host": "ops02.contoso.com", "started": "2026-12-01T22:00:00Z",
		"script": "migrate.lua", "user": `CONTOSO\alice`, "command": `pcmig run --estate D:\pchat\estate.lua --resume`})
	if err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(state, "run.lock")
	writeFile(t, lock, string(rec))
	before := hashTree(t, est)

	stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code != exitError {
		t.Errorf("run under another host's lock: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, "another run holds the lock",
		`may be held by ops02.contoso.com (user CONTOSO\alice, command pcmig run --estate D:\pchat\estate.lua --resume, script migrate.lua, since 2026-12-01T22:00:00Z; pid 4242 there)`,
		"cannot be probed from this host", "Get-Process -Id 4242", "ps -p 4242", lock)
	if strings.Contains(stdout, "== Step") {
		t.Errorf("the run started steps:\n%s", stdout)
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused run changed the estate (-before +after):\n%s", diff)
	}
	for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}} {
		stdout, stderr, code := runCmd(t, args...)
		if code == exitError || code == exitUsage {
			t.Errorf("pcmig %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
		}
		if n := strings.Count(stderr, "may be held by ops02.contoso.com"); n != 1 {
			t.Errorf("pcmig %s warns %d times of the other host's run, want once:\n%s", strings.Join(args, " "), n, stderr)
		}
	}
	if got := string(readFile(t, lock)); got != string(rec) {
		t.Errorf("the lock file was changed:\n%s", got)
	}
}
