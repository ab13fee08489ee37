package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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
		if _, err := os.Stat(lockPath); err == nil {
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
	wantHolder := "is held by pid " + strconv.Itoa(os.Getpid()) + " on host " + hostname()
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
	lockJSON := func(pid int, host string) string {
		return `{"pid": ` + strconv.Itoa(pid) + `, "host": "` + host + `", "started": "` + started.Format(time.RFC3339) + `", "script": "old.lua"}`
	}
	tests := []struct {
		name       string
		lock       string // existing lock file content
		wantErr    string // substring; "" for success
		wantStderr string
	}{
		{
			name:    "held by a live process",
			lock:    lockJSON(os.Getpid(), hostname()),
			wantErr: "is held by pid " + strconv.Itoa(os.Getpid()) + " on host " + hostname() + " (script old.lua, started 2025-03-01T21:00:00Z)",
		},
		{
			name:    "held on another host",
			lock:    lockJSON(1, "elsewhere.contoso.com"),
			wantErr: "is held by pid 1 on host elsewhere.contoso.com",
		},
		{
			name:    "unreadable",
			lock:    "garbage",
			wantErr: "exists but cannot be read",
		},
		{
			name:       "stale on this host",
			lock:       lockJSON(1<<31-1, hostname()),
			wantStderr: "Taking over the stale lock",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lockPath := filepath.Join(t.TempDir(), "run.lock")
			if err := os.WriteFile(lockPath, []byte(tc.lock), 0o644); err != nil {
				t.Fatal(err)
			}
			r := runSource(t, context.Background(), "print('ran')", "", Options{LockFile: lockPath})
			if tc.wantErr != "" {
				if !errors.Is(r.err, ErrLocked) || !strings.Contains(r.err.Error(), tc.wantErr) {
					t.Fatalf("Run() error = %v, want ErrLocked containing %q", r.err, tc.wantErr)
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
			if !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.wantStderr)
			}
			if _, err := os.Stat(lockPath); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("lock file left after the run: stat error %v", err)
			}
		})
	}
}

// A run that has just created the lock file may not have written its
// holder yet: a second run must wait a moment for it and name the holder,
// not call the lock damaged.
func TestLockHolderBeingWritten(t *testing.T) {
	lockPath := filepath.Join(t.TempDir(), "run.lock")
	if err := os.WriteFile(lockPath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	holder := lockInfo{PID: os.Getpid(), Host: hostname(), Started: time.Now(), Script: "first.lua"}
	written := make(chan error, 1)
	go func() {
		time.Sleep(150 * time.Millisecond)
		b, err := json.Marshal(holder)
		if err == nil {
			err = os.WriteFile(lockPath, b, 0o644)
		}
		written <- err
	}()
	r := runSource(t, context.Background(), "print('second run')", "", Options{LockFile: lockPath})
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	want := "is held by pid " + strconv.Itoa(os.Getpid()) + " on host " + hostname() + " (script first.lua"
	if !errors.Is(r.err, ErrLocked) || !strings.Contains(r.err.Error(), want) {
		t.Errorf("Run() error = %v, want ErrLocked naming the holder (%q)", r.err, want)
	}
	if r.stdout != "" {
		t.Errorf("the script ran: %q", r.stdout)
	}
}
