package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// ErrLocked is wrapped by the error Run returns when another run holds the
// lock file.
var ErrLocked = errors.New("another run holds the lock")

// lockInfo is the content of a lock file.
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
	path string
	info lockInfo
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
}

// acquireLock creates path exclusively. A lock left by a process of this
// host that no longer runs is taken over, with a notice to notify; any
// other existing lock refuses the run.
func acquireLock(path string, info lockInfo, notify io.Writer) (*runLock, error) {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode lock: %w", err)
	}
	for range 3 {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.Write(append(data, '\n'))
			if werr = errors.Join(werr, f.Close()); werr != nil {
				return nil, errors.Join(fmt.Errorf("write lock %s: %w", path, werr), removeIfExists(path))
			}
			return &runLock{path: path, info: info}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create lock %s: %w", path, err)
		}
		holder, err := readHolder(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // released meanwhile
		case err != nil:
			return nil, fmt.Errorf("%w: lock file %s exists but cannot be read (%v); if no other pcmig run is active, remove it", ErrLocked, path, err)
		case holder.Host == info.Host && !processAlive(holder.PID):
			fmt.Fprintf(notify, "Taking over the stale lock %s: %s is no longer running.\n", path, holder)
			if err := removeIfExists(path); err != nil {
				return nil, fmt.Errorf("remove stale lock %s: %w", path, err)
			}
			continue
		default:
			return nil, fmt.Errorf("%w: %s is held by %s; wait for that run to end, or if it is gone, remove the file", ErrLocked, path, holder)
		}
	}
	return nil, fmt.Errorf("%w: could not create %s: other runs keep taking it", ErrLocked, path)
}

// readHolder reads the lock file of another run. A run that has just
// created the file may not have written its holder yet, so content that is
// not a holder is read again for a moment before it counts as damaged.
func readHolder(path string) (lockInfo, error) {
	var (
		l   lockInfo
		err error
	)
	for range holderReads {
		if l, err = readLock(path); !errors.Is(err, errInvalidLock) {
			return l, err
		}
		time.Sleep(holderWait)
	}
	return l, err
}

// A holder being written is waited for holderReads*holderWait (1 s).
const (
	holderReads = 40
	holderWait  = 25 * time.Millisecond
)

var errInvalidLock = errors.New("invalid lock file")

func readLock(path string) (lockInfo, error) {
	var l lockInfo
	b, err := os.ReadFile(path)
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return l, fmt.Errorf("%w: %w", errInvalidLock, err)
	}
	return l, nil
}

// release removes the lock if it is still this run's.
func (l *runLock) release() error {
	holder, err := readLock(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("release lock: %w", err)
	}
	if holder.PID != l.info.PID || holder.Host != l.info.Host || !holder.Started.Equal(l.info.Started) {
		return fmt.Errorf("release lock: %s now belongs to %s; left in place", l.path, holder)
	}
	if err := removeIfExists(l.path); err != nil {
		return fmt.Errorf("release lock: %w", err)
	}
	return nil
}
