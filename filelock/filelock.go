// Package filelock takes exclusive OS file locks (flock on Unix,
// LockFileEx on Windows) on a file that also records who holds it.
//
// The lock is the OS lock, not the file: it ends with the process that
// holds it, however that process ends (a kill included, and before a
// killed process is reaped), so a lock file left behind by a run that died
// is recognised as free without guessing from process IDs.
package filelock

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// ErrHeld is wrapped by the error Acquire returns while another process
// (or another open of the file in this process) holds the lock.
var ErrHeld = errors.New("the lock is held")

// HeldError is the refusal of a lock another holder has.
type HeldError struct {
	Path   string
	Record []byte // what the holder recorded; nil if it recorded nothing valid in time
}

func (e *HeldError) Error() string { return fmt.Sprintf("%s: %v", e.Path, ErrHeld) }

func (e *HeldError) Unwrap() error { return ErrHeld }

// Lock is a held lock.
type Lock struct {
	f    *os.File
	path string
}

// The record of a holder that has just taken the lock is waited for
// recordReads*recordWait (1 s); records are read up to maxRecord bytes.
const (
	recordReads = 40
	recordWait  = 25 * time.Millisecond
	maxRecord   = 64 << 10
)

// Acquire takes the lock of the file path, creating the file if it is
// missing, without waiting. It returns the file's content as it found it:
// empty, or a record left by a holder that ended without Release (killed),
// or a file that is not a lock at all; the caller decides, and calls Write
// to record itself or Abandon to leave the file as it is.
//
// While another holder has the lock the error is a *HeldError; valid tells
// a complete record from one the holder is still writing, which is read
// again for a moment. A nil valid means no validation: the record is the
// file's content as first read (nil when it is empty), without waiting.
func Acquire(path string, valid func([]byte) bool) (*Lock, []byte, error) {
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("lock file: %w", err)
		}
		locked, err := tryLock(f)
		if err != nil {
			return nil, nil, errors.Join(fmt.Errorf("lock %s: %w", path, err), f.Close())
		}
		if !locked {
			held := &HeldError{Path: path, Record: readRecord(f, valid)}
			f.Close()
			return nil, nil, held
		}
		// A holder that was ending may have removed the file after this
		// process opened it: then the lock is on a file nobody else sees.
		if st, err := os.Stat(path); err != nil || !sameFile(f, st) {
			f.Close()
			continue
		}
		prev, err := read(f)
		if err != nil {
			return nil, nil, errors.Join(fmt.Errorf("read lock %s: %w", path, err), f.Close())
		}
		return &Lock{f: f, path: path}, prev, nil
	}
	return nil, nil, fmt.Errorf("lock %s: the lock file keeps being replaced", path)
}

// Write replaces the file's content with rec, the holder's record.
func (l *Lock) Write(rec []byte) error {
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("write lock %s: %w", l.path, err)
	}
	if _, err := l.f.WriteAt(rec, 0); err != nil {
		return fmt.Errorf("write lock %s: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("write lock %s: %w", l.path, err)
	}
	return nil
}

// ErrLost is wrapped by the error Held returns once the lock's file is no
// longer the file at its path.
var ErrLost = errors.New("the lock file was removed or replaced while the lock was held")

// Held reports whether the file at the lock's path is still the file this
// lock holds. The lock is on the file, not on its name: once the file was
// removed or replaced (by hand, thought stale, or with its folder) another
// process creates a file of its own there and locks it, and both go on
// as holders. A holder that checks before each thing it protects stops
// instead.
func (l *Lock) Held() error {
	st, err := os.Stat(l.path)
	if err != nil {
		return fmt.Errorf("%s: %w (%v)", l.path, ErrLost, err)
	}
	if !sameFile(l.f, st) {
		return fmt.Errorf("%s: %w (another file is there now)", l.path, ErrLost)
	}
	return nil
}

// Release gives the lock up. The file is removed while still locked, so
// that a process waiting on it finds it gone (see Acquire); where an open
// file cannot be removed (Windows) it is emptied instead, which tells the
// next holder that nobody was left behind. A file at the path that is no
// longer the lock's (Held) is another holder's and is left alone.
func (l *Lock) Release() error {
	var err error
	if l.Held() != nil {
		// Not ours to remove or empty.
	} else if removeLocked() {
		if rerr := os.Remove(l.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = fmt.Errorf("release lock: %w", rerr)
		}
	} else if terr := l.f.Truncate(0); terr != nil {
		err = fmt.Errorf("release lock %s: %w", l.path, terr)
	}
	return errors.Join(err, l.f.Close()) // closing releases the lock
}

// Abandon gives the lock up and leaves the file as it is.
func (l *Lock) Abandon() error { return l.f.Close() }

// read reads the file's content, at most maxRecord bytes.
func read(f *os.File) ([]byte, error) {
	buf := make([]byte, maxRecord)
	n, err := f.ReadAt(buf, 0)
	if err != nil && n == 0 && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// readRecord reads the record of another holder, waiting a moment for a
// holder that has just taken the lock to write it.
func readRecord(f *os.File, valid func([]byte) bool) []byte {
	if valid == nil {
		if b, err := read(f); err == nil && len(b) > 0 {
			return b
		}
		return nil
	}
	for range recordReads {
		if b, err := read(f); err == nil && valid(b) {
			return b
		}
		time.Sleep(recordWait)
	}
	return nil
}

func sameFile(f *os.File, st os.FileInfo) bool {
	fst, err := f.Stat()
	return err == nil && os.SameFile(fst, st)
}

// Wait opens the file path (creating it when create is set) and takes its
// lock, waiting up to wait while another holder has it: for a file that
// holders read and write in turn, each for a moment (a ledger), rather
// than a lock that refuses. The file locked is the file at path when Wait
// returns: one removed or replaced while this process waited (by a holder
// that ended it) is opened again. Without create, a file that is not
// there is fs.ErrNotExist. The holder reads and writes the file through
// File, then calls Release to remove it (emptied where an open file
// cannot be removed) or Abandon to keep it.
func Wait(path string, create bool, wait time.Duration) (*Lock, error) {
	flag := os.O_RDWR
	if create {
		flag |= os.O_CREATE
	}
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(path, flag, 0o644)
		if err != nil {
			return nil, err
		}
		locked, err := tryLock(f)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("lock %s: %w", path, err), f.Close())
		}
		if locked {
			if st, err := os.Stat(path); err == nil && sameFile(f, st) {
				return &Lock{f: f, path: path}, nil
			} else if !create && errors.Is(err, fs.ErrNotExist) {
				f.Close()
				return nil, err
			}
			f.Close()
			continue // ended by the holder before: open the file there now
		}
		f.Close()
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: %w by another process for more than %s", path, ErrHeld, wait)
		}
		time.Sleep(waitPoll)
	}
}

// waitPoll is how often Wait tries a lock another holder has.
const waitPoll = 5 * time.Millisecond

// File is the locked file, to read and write through while it is held.
func (l *Lock) File() *os.File { return l.f }
