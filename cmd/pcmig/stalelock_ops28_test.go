package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeRunLock writes a run lock record as a run that ended without
// releasing it leaves it.
func writeRunLock(t *testing.T, est string, pid int, host string) string {
	t.Helper()
	p := filepath.Join(est, ".pcmig", "run.lock")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"pid": pid, "host": host, "started": time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC), "script": "migrate.lua"})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, string(b))
	return p
}

// TestStaleLockSaysWhatWasChecked: a run lock left free on this host was
// taken over with "pid N on host H (...) is no longer running", the pid
// never checked: a process of that pid may well run (a killed run not
// yet reaped, a later process given the ID). The notice now says the
// lock was free and what a check of the pid found. A record of another
// host was refused as "is held by" though its lock was free here: it
// now says that this host cannot check that host's processes.
func TestStaleLockSaysWhatWasChecked(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("process IDs checked here on Linux")
	}
	t.Parallel()
	host, err := os.Hostname()
	if err != nil || host == "" {
		t.Skip("no host name")
	}
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	script := writeScript(t, t.TempDir(), "w.lua", `step("alpha", function() print("alpha runs") end)`)

	// A process that runs now, under the pid the lock records.
	alive := exec.Command("sleep", "60")
	if err := alive.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { _ = alive.Process.Kill(); _ = alive.Wait() }()
	writeRunLock(t, est, alive.Process.Pid, host)
	_, stderr := mustRun(t, 0, "run", script, "--estate", estFile)
	pid := strconv.Itoa(alive.Process.Pid)
	mustContain(t, "stderr", stderr, "Taking over the stale lock", "no longer holds it (its lock was free)",
		"a process with pid "+pid+" runs on this host, but it does not hold the lock")
	if strings.Contains(stderr, "no longer running") {
		t.Errorf("the notice says a running process is no longer running:\n%s", stderr)
	}

	// A process that ended.
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skip(err)
	}
	writeRunLock(t, est, ended.Process.Pid, host)
	_, stderr = mustRun(t, 0, "run", script, "--estate", estFile)
	mustContain(t, "stderr", stderr, "Taking over the stale lock", "no process with pid "+strconv.Itoa(ended.Process.Pid)+" runs on this host")

	// Another host's record: refused, saying what cannot be checked.
	lock := writeRunLock(t, est, 1, "elsewhere.contoso.com")
	_, stderr = mustRun(t, 1, "run", script, "--estate", estFile)
	mustContain(t, "stderr", stderr, lock+" may be held by elsewhere.contoso.com (", "pid 1 there)",
		"it cannot be probed from this host", "remove "+lock)
	if strings.Contains(stderr, "is held by") {
		t.Errorf("a lock free here is said to be held:\n%s", stderr)
	}
}
