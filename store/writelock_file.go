package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pcmig/pcmig/filelock"
)

// lockFile takes an exclusive OS lock (package filelock) on the file
// DBPATH.pcmig-lock (created if missing) and records the holder in it. A
// lock that another process holds is a *LockedError naming that process.
// The lock is the OS lock, not the file: it ends with the process, however
// the process ends.
//
// held, when the lock was taken, says whether the lock file is still the
// one locked (filelock.Lock.Held): one removed by hand, thought stale,
// guards nothing, since the next writer makes and locks a file of its own.
func lockFile(dbPath, db string, h Holder) (release, held func() error, err error) {
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real // one lock for every link to the database
	}
	path := dbPath + ".pcmig-lock"
	if _, err := os.Stat(dbPath); err != nil {
		if _, err := os.Stat(filepath.Dir(dbPath)); err != nil {
			// Opening will say what is missing; a lock file there cannot
			// be made and is not needed.
			return func() error { return nil }, nil, nil
		}
	}
	lk, err := acquireLockFile(path)
	if err != nil && (errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)) {
		why := "permission denied"
		if errors.Is(err, syscall.EROFS) {
			why = "read-only file system"
		}
		return nil, nil, &LockFolderError{DB: db, Lock: path, Why: why, Err: err}
	}
	if held := (*filelock.HeldError)(nil); errors.As(err, &held) {
		le := &LockedError{DB: db, Holder: decodeHolder(held.Record)}
		if le.Holder == nil {
			le.Why = "its holder did not record itself"
		}
		return nil, nil, le
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: writer lock: %w", db, err)
	}
	if err := lk.Write(encodeHolder(h)); err != nil {
		return nil, nil, errors.Join(fmt.Errorf("%s: writer lock: %w", db, err), lk.Release())
	}
	return lk.Release, lk.Held, nil
}

// acquireLockFile takes the lock of the file path (filelock.Acquire). A
// reader that looks at the lock (otherWriter) holds a shared lock on the
// file for a moment, which refuses this one too: a refusal is tried again
// twice, a writer holding it for as long as its command runs.
func acquireLockFile(path string) (*filelock.Lock, error) {
	var err error
	for _, pause := range []time.Duration{0, 10 * time.Millisecond, 50 * time.Millisecond} {
		time.Sleep(pause)
		var lk *filelock.Lock
		lk, _, err = filelock.Acquire(path, func(b []byte) bool { return decodeHolder(b) != nil })
		if !errors.Is(err, filelock.ErrHeld) {
			return lk, err
		}
	}
	return nil, err
}

// checkFileLock makes sure, before a write transaction, that the writer
// lock file of an embedded database is still the file this store locked;
// once it is not, this and every later write is refused (ErrLockLost).
func (s *Store) checkFileLock() error {
	if s.lockLost != nil || s.fileLockHeld == nil {
		return s.lockLost
	}
	if err := s.fileLockHeld(); err != nil {
		s.lockLost = fmt.Errorf("%s: %w: %v; %s", s.Describe(), ErrLockLost, err, lockLostAdvice)
	}
	return s.lockLost
}

// ErrLockFolder is wrapped by the error Open returns when an embedded
// database's writer lock file cannot be created: its folder is read-only,
// or the account running pcmig may not write there.
var ErrLockFolder = errors.New("the writer lock file cannot be created beside the database")

// LockFolderError is that error, with the lock file and why.
type LockFolderError struct {
	DB   string // the database, described without secrets
	Lock string // the lock file
	Why  string // "read-only file system", "permission denied"
	Err  error
}

func (e *LockFolderError) Error() string {
	return fmt.Sprintf("%s: writer lock: cannot create %s (%s): pcmig locks a database before it writes to it; "+
		"make the folder %s writable for the account that runs pcmig, then run again", e.DB, e.Lock, e.Why, filepath.Dir(e.Lock))
}

func (e *LockFolderError) Unwrap() []error { return []error{ErrLockFolder, e.Err} }

// unlocked is what a store opened without its writer lock (Config.OptionalLock)
// says once, and what its refusal of a write adds.
func (e *LockFolderError) unlocked() string {
	return fmt.Sprintf("%s: its folder cannot be written (%s), so pcmig takes no writer lock there and only reads this database",
		e.DB, e.Why)
}

// refusal is the error of a write to such a store.
func (e *LockFolderError) refusal(op string) error {
	return fmt.Errorf("%s: %w: %s; to write to it, make the folder %s writable for the account that runs pcmig, then run again",
		op, ErrReadOnly, e.unlocked(), filepath.Dir(e.Lock))
}
