package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pcmig/pcmig/filelock"
	"github.com/pcmig/pcmig/internal/proc"
)

// ErrLocked is wrapped by the error Run returns when another run holds the
// lock file.
var ErrLocked = errors.New("another run holds the lock")

// lockInfo is the content of a lock file: who holds it, for messages.
type lockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Script  string    `json:"script"`
}

func (l lockInfo) String() string {
	return fmt.Sprintf("pid %d on host %s (script %s, started %s)", l.PID, l.Host, l.Script, l.Started.Format(time.RFC3339))
}

type runLock struct {
	lock *filelock.Lock
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
}

// acquireLock takes the OS lock of the file path (filelock: it dies with
// the process that holds it, however that ends) and records info in it.
// A run holding it refuses this one, naming the holder. A record left by
// a run of this host that ended without releasing (killed) is taken over
// with a notice to notify; one left by another host, or a file that is no
// run lock, refuses the run and is left as it is.
func acquireLock(path string, info lockInfo, notify io.Writer) (*runLock, error) {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode lock: %w", err)
	}
	lk, prev, err := filelock.Acquire(path, func(b []byte) bool {
		_, err := decodeLock(b)
		return err == nil
	})
	var held *filelock.HeldError
	switch {
	case errors.As(err, &held):
		holder, derr := decodeLock(held.Record)
		if derr != nil {
			return nil, fmt.Errorf("%w: %s is held by a process that has not recorded who it is; wait for that run to end", ErrLocked, path)
		}
		if holder.Host == info.Host && !proc.Running(holder.PID) {
			// The lock is held, but not by the process it records.
			return nil, fmt.Errorf("%w: %s is held, and it records %s, but no process with pid %d runs on this host: another process holds the file's lock; wait for it to end",
				ErrLocked, path, holder, holder.PID)
		}
		return nil, fmt.Errorf("%w: %s is held by %s; wait for that run to end", ErrLocked, path, holder)
	case err != nil:
		return nil, stateFolderError(path, err)
	}
	if len(bytes.TrimSpace(prev)) > 0 {
		holder, derr := decodeLock(prev)
		switch {
		case derr != nil:
			return nil, errors.Join(fmt.Errorf("%w: %s exists but is not a pcmig run lock (%v); if no other pcmig run is active, remove it", ErrLocked, path, derr), lk.Abandon())
		case holder.Host != info.Host:
			// Whether that host's lock reaches this one depends on the
			// share; its process cannot be asked.
			return nil, errors.Join(fmt.Errorf("%w: %s records a run on another host, %s: its lock is free here, but this host cannot check that host's processes, and whether that host's locks reach this one depends on the share; wait for that run to end, or if it has ended, remove the file",
				ErrLocked, path, holder), lk.Abandon())
		}
		fmt.Fprintf(notify, "Taking over the stale lock %s: %s\n", path, staleHolder(holder))
	}
	if err := lk.Write(append(data, '\n')); err != nil {
		return nil, errors.Join(err, lk.Release())
	}
	return &runLock{lock: lk}, nil
}

// staleHolder says what is known of the run that recorded a lock found
// free on this host: its lock is free (the OS lock, which ends with its
// process however that ends), so it no longer holds it; whether a
// process of its ID runs now is checked and said, never assumed.
func staleHolder(l lockInfo) string {
	s := fmt.Sprintf("the run that recorded it, %s, no longer holds it (its lock was free)", l)
	switch {
	case l.PID == os.Getpid():
		s += fmt.Sprintf("; pid %d is this run's own now, given again since", l.PID)
	case proc.Running(l.PID):
		s += fmt.Sprintf("; a process with pid %d runs on this host, but it does not hold the lock (that run was killed and not yet reaped, or a later process was given its ID)", l.PID)
	default:
		s += fmt.Sprintf("; no process with pid %d runs on this host", l.PID)
	}
	return s + "."
}

// stateFolderError is the refusal of a run whose lock file cannot be
// made or opened in the state folder: a folder the account may not write
// to, a read-only share, a file where the folder or the lock goes. It says
// where and what to do; nothing was changed.
func stateFolderError(path string, err error) error {
	return fmt.Errorf("run lock: %w; pcmig keeps each run's lock and journal in the estate's state folder %s: "+
		"make it a folder that the account running pcmig can create files in (or name another as state in the estate file), then run again; nothing was changed",
		err, filepath.Dir(path))
}

// decodeLock reads a lock file's record. The error never quotes the
// content.
func decodeLock(b []byte) (lockInfo, error) {
	var l lockInfo
	if err := json.Unmarshal(b, &l); err != nil {
		return l, errors.New("its content is not a lock record")
	}
	if l.PID <= 0 || l.Host == "" {
		return l, errors.New("its record names no process")
	}
	return l, nil
}

// ErrLockLost is wrapped by the error of a run whose lock file was
// removed or replaced while it ran (by hand, thought stale, or with the
// state folder): another run may have taken the estate since.
var ErrLockLost = errors.New("the run lock was removed or replaced while this run held it")

// check refuses once the lock file is no longer the one this run locked:
// then the lock guards nothing (another run makes and locks a file of its
// own there), and the journal this run would write may be that run's. A
// run checks before each write of its journal, so it stops at its next
// step rather than running beside another.
func (l *runLock) check() error {
	if err := l.lock.Held(); err != nil {
		return fmt.Errorf("%w: %v; another run may be working on this estate now, so this one stops here and leaves the journal alone: make sure no other pcmig run is active on the estate, then continue with --resume",
			ErrLockLost, err)
	}
	return nil
}

// release removes the lock file and gives the lock up.
func (l *runLock) release() error {
	if err := l.lock.Release(); err != nil {
		return fmt.Errorf("release lock: %w", err)
	}
	return nil
}

// AcquireRunLock takes the run lock at path as a run does
// (Options.LockFile), for a command that must not work while a run does
// (pcmig lab init --overwrite, which removes the run's journal): while a
// run holds it, it refuses (ErrLocked), naming the holder; while it is
// held, runs refuse, naming command. A record left by a run that ended
// without releasing is taken over with a notice to notify. release gives
// the lock up and removes the file.
func AcquireRunLock(path, command string, notify io.Writer) (release func() error, err error) {
	lk, err := acquireLock(path, lockInfo{PID: os.Getpid(), Host: hostname(), Started: time.Now(), Script: command}, notify)
	if err != nil {
		return nil, err
	}
	return lk.release, nil
}
