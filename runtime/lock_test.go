package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/filelock"
	"github.com/pcmig/pcmig/internal/proc"
)

func TestLockRefusesConcurrentRun(t *testing.T) {
	dir := t.TempDir()
	lockPath := filepath.Join(dir, "run.lock")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan runResult, 1)
	go func() {
		first <- runSource(t, ctx, "require('testmod').block()", "", Options{LockFile: lockPath})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		// The file exists a moment before its creator holds the lock.
		if _, err := readLockFile(lockPath); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first run did not take the lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
	second := runSource(t, context.Background(), "print('second run')", "", Options{LockFile: lockPath})
	if !errors.Is(second.err, ErrLocked) {
		t.Errorf("second Run() error = %v, want ErrLocked", second.err)
	}
	wantHolder := "is held by pid " + strconv.Itoa(os.Getpid()) + " on host " + proc.Host()
	if second.err == nil || !strings.Contains(second.err.Error(), wantHolder) {
		t.Errorf("second Run() error = %v, want it to name the holder (%q)", second.err, wantHolder)
	}
	if second.stdout != "" {
		t.Errorf("second run ran its script: %q", second.stdout)
	}
	cancel()
	if r := <-first; r.err == nil {
		t.Error("first run succeeded after cancellation")
	}
	if _, err := os.Stat(lockPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after the run: stat error %v", err)
	}
}

func TestLockFile(t *testing.T) {
	started := time.Date(2025, 3, 1, 21, 0, 0, 0, time.UTC)
	endedPID := -1
	if goruntime.GOOS == "linux" {
		if cmd := exec.Command("true"); cmd.Run() == nil {
			endedPID = cmd.Process.Pid
		}
	}
	lockJSON := func(pid int, host string) string {
		return `{"pid": ` + strconv.Itoa(pid) + `, "host": "` + host + `", "started": "` + started.Format(time.RFC3339) + `", "script": "old.lua"}`
	}
	tests := []struct {
		name       string
		lock       string // existing lock file content
		held       bool   // another holder has the OS lock
		wantErr    string // substring; "" for success
		wantStderr string // substring; "" for no notice
	}{
		{
			name:    "held by a run",
			lock:    lockJSON(os.Getpid(), proc.Host()),
			held:    true,
			wantErr: "is held by pid " + strconv.Itoa(os.Getpid()) + " on host " + proc.Host() + " (script old.lua, since 2025-03-01T21:00:00Z); wait for that run to end",
		},
		{
			// The lock is held, but the pid it records has ended: the
			// holder is another process, not the one named.
			name:    "held, its recorded process ended",
			lock:    lockJSON(endedPID, proc.Host()),
			held:    endedPID > 0,
			wantErr: "no process with pid " + strconv.Itoa(endedPID) + " runs on this host: another process holds the file's lock",
		},
		{
			name:    "held by a run that recorded nothing",
			held:    true,
			wantErr: "is held by a process that has not recorded who it is",
		},
		{
			name:    "left on another host",
			lock:    lockJSON(1, "elsewhere.contoso.com"),
			wantErr: "may be held by elsewhere.contoso.com (script old.lua, since 2025-03-01T21:00:00Z; pid 1 there): its lock is free here, but it cannot be probed from this host",
		},
		{
			name:    "not a lock",
			lock:    "password=hunter2",
			wantErr: "exists but is not a pcmig run lock",
		},
		{
			// Its process may even still run (the PID was reused): the
			// OS lock, not the PID, says the run is gone.
			name:       "left on this host",
			lock:       lockJSON(os.Getpid(), proc.Host()),
			wantStderr: "Taking over the stale lock",
		},
		{
			name: "empty",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(tc.lock, `"pid": -1`) {
				t.Skip("no ended process to name (Linux only)")
			}
			lockPath := filepath.Join(t.TempDir(), "run.lock")
			if err := os.WriteFile(lockPath, []byte(tc.lock), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.held {
				holdLock(t, lockPath)
			}
			r := runSource(t, context.Background(), "print('ran')", "", Options{LockFile: lockPath})
			if tc.wantErr != "" {
				if !errors.Is(r.err, ErrLocked) || !strings.Contains(r.err.Error(), tc.wantErr) {
					t.Fatalf("Run() error = %v, want ErrLocked containing %q", r.err, tc.wantErr)
				}
				if strings.Contains(r.err.Error(), "hunter2") {
					t.Errorf("the error quotes the file: %v", r.err)
				}
				if r.stdout != "" {
					t.Errorf("the script ran: %q", r.stdout)
				}
				b, err := os.ReadFile(lockPath)
				if err != nil || string(b) != tc.lock {
					t.Errorf("the other run's lock was changed: %q, %v", b, err)
				}
				return
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.stdout != "ran\n" {
				t.Errorf("stdout = %q, want the script to run", r.stdout)
			}
			if got := strings.Contains(r.stderr, "Taking over"); got != (tc.wantStderr != "") || !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr = %q, want a notice %q", r.stderr, tc.wantStderr)
			}
			if _, err := os.Stat(lockPath); !errors.Is(err, os.ErrNotExist) && goruntime.GOOS != "windows" {
				t.Errorf("lock file left after the run: stat error %v", err)
			}
		})
	}
}

// holdLock holds the OS lock of path, as another run would, until the
// test ends, leaving the content as it is.
func holdLock(t *testing.T, path string) *filelock.Lock {
	t.Helper()
	lk, _, err := filelock.Acquire(path, func([]byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lk.Abandon() })
	return lk
}

// readLockFile reads the record of a lock file.
func readLockFile(path string) (lockInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return lockInfo{}, err
	}
	return decodeLock(b)
}

// A run that has just created the lock file may not have written its
// holder yet: a second run must wait a moment for it and name the holder,
// not call the lock damaged.
func TestLockHolderBeingWritten(t *testing.T) {
	lockPath := filepath.Join(t.TempDir(), "run.lock")
	lk := holdLock(t, lockPath)
	holder := lockInfo{PID: os.Getpid(), Host: proc.Host(), Started: time.Now(), Script: "first.lua"}
	written := make(chan error, 1)
	go func() {
		time.Sleep(150 * time.Millisecond)
		b, err := json.Marshal(holder)
		if err == nil {
			err = lk.Write(b)
		}
		written <- err
	}()
	r := runSource(t, context.Background(), "print('second run')", "", Options{LockFile: lockPath})
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	want := "is held by pid " + strconv.Itoa(os.Getpid()) + " on host " + proc.Host() + " (script first.lua"
	if !errors.Is(r.err, ErrLocked) || !strings.Contains(r.err.Error(), want) {
		t.Errorf("Run() error = %v, want ErrLocked naming the holder (%q)", r.err, want)
	}
	if r.stdout != "" {
		t.Errorf("the script ran: %q", r.stdout)
	}
}

// lockChildEnv names the lock file a child process of
// TestLockOfKilledRun holds while it blocks.
const lockChildEnv = "PCMIG_TEST_RUN_LOCK_CHILD"

// A run that was killed leaves its lock file behind. Until its parent
// reaps it, the killed process is a zombie that still answers to its PID;
// its lock must count as stale all the same.
func TestLockOfKilledRun(t *testing.T) {
	if path := os.Getenv(lockChildEnv); path != "" {
		runSource(t, context.Background(), "require('testmod').block()", "", Options{LockFile: path})
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	lockPath := filepath.Join(t.TempDir(), "run.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockOfKilledRun$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+lockPath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	reaped := false
	defer func() {
		if !reaped {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if l, err := readLockFile(lockPath); err == nil && l.PID == pid {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the child run did not take the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	waitZombie(t, pid)

	r := runSource(t, context.Background(), "print('ran')", "", Options{LockFile: lockPath})
	if r.err != nil {
		t.Fatalf("Run() after the holder was killed: %v", r.err)
	}
	if r.stdout != "ran\n" {
		t.Errorf("stdout = %q, want the script to run", r.stdout)
	}
	if want := "pid " + strconv.Itoa(pid); !strings.Contains(r.stderr, "Taking over the stale lock") || !strings.Contains(r.stderr, want) {
		t.Errorf("stderr = %q, want a notice naming the killed run (%s)", r.stderr, want)
	}
	reaped = true
	_ = cmd.Wait()
}
