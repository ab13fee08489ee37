package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/filelock"
	"github.com/pcmig/pcmig/internal/proc"
	"github.com/pcmig/pcmig/textwidth"
)

// ErrLocked is wrapped by the error Run returns when another run holds the
// lock file.
var ErrLocked = errors.New("another run holds the lock")

// lockInfo is the content of a lock file: who holds it, for messages.
// User and Command are missing from the records of older pcmig versions.
type lockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Script  string    `json:"script"`
	User    string    `json:"user,omitempty"`
	Command string    `json:"command,omitempty"`
}

func (l lockInfo) String() string {
	return fmt.Sprintf("pid %d on host %s (%s)", l.PID, textwidth.OneLine(l.Host), l.details())
}

// details says who recorded the lock, with what, since when: "user alice,
// command pcmig run --estate estate.lua, script migrate.lua, since ...".
// The record's text is shown on one line, its controls escaped.
func (l lockInfo) details() string {
	var parts []string
	if l.User != "" {
		parts = append(parts, "user "+textwidth.OneLine(l.User))
	}
	if l.Command != "" {
		parts = append(parts, "command "+textwidth.OneLine(l.Command))
	}
	if l.Script != "" && l.Script != l.Command {
		parts = append(parts, "script "+textwidth.OneLine(l.Script))
	}
	return strings.Join(append(parts, "since "+l.Started.Format(time.RFC3339)), ", ")
}

// otherHost words the record of a run on another host: its lock cannot
// be probed from here (the OS lock of a file on a share may not reach
// this host, and that host's processes cannot be asked).
func (l lockInfo) otherHost() string {
	return fmt.Sprintf("may be held by %s (%s; pid %d there)", textwidth.OneLine(l.Host), l.details(), l.PID)
}

// howToCheck says how to find out, on the run's host, whether it still runs.
func (l lockInfo) howToCheck() string {
	return fmt.Sprintf("on %s, see whether pid %d still runs (Get-Process -Id %d in PowerShell, ps -p %d elsewhere)",
		textwidth.OneLine(l.Host), l.PID, l.PID, l.PID)
}

// CurrentUser names the account this process runs as, for a lock's
// record (proc.User).
func CurrentUser(getenv func(string) string) string { return proc.User(getenv) }

type runLock struct {
	lock *filelock.Lock
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
			return nil, errors.Join(fmt.Errorf("%w: %s %s: its lock is free here, but it cannot be probed from this host (whether that host's locks reach this one depends on the share, and that host's processes cannot be asked); to check, %s; wait for that run to end, or if it has ended, remove %s and run again",
				ErrLocked, path, holder.otherHost(), holder.howToCheck(), path), lk.Abandon())
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

// RunLockHolder says whether the run lock at path is held by a run ("is
// held by pid ...", or "may be held by HOST ..." for another host's), for
// a command that only reads (a dry run, verify) and works on while a run
// does, warning that its figures may move. It never takes the lock, not
// even for a moment (a run starting then would be refused): it reads the
// holder's record, as a run leaves it while it holds the lock (a run that
// ends removes or empties the file). A record of this host counts while
// its process runs (a killed run's record names a process that has
// ended); one of another host cannot be probed and always counts, worded
// "may be held by HOST". ok is false for no file, an empty one or one
// that is not a run lock.
func RunLockHolder(path string) (holder string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return "", false
	}
	l, err := decodeLock(b)
	switch {
	case err != nil:
		return "", false
	case l.Host != proc.Host():
		return l.otherHost() + ", which cannot be probed from this host: to check, " + l.howToCheck(), true
	case !proc.Running(l.PID):
		return "", false
	}
	return "is held by " + l.String(), true
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
	lk, err := acquireLock(path, lockInfo{PID: os.Getpid(), Host: proc.Host(), Started: time.Now(), Command: command,
		User: CurrentUser(os.Getenv)}, notify)
	if err != nil {
		return nil, err
	}
	return lk.release, nil
}
