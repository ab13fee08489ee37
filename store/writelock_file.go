package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockFile takes an exclusive OS lock on the file DBPATH.pcmig-lock
// (created if missing) and records the holder in it. A lock that another process holds
// is a *LockedError naming that process. The lock is the OS lock, not the
// file: it ends with the process, however the process ends.
func lockFile(dbPath, db string, h Holder) (release func() error, err error) {
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real // one lock for every link to the database
	}
	path := dbPath + ".pcmig-lock"
	if _, err := os.Stat(dbPath); err != nil {
		if _, err := os.Stat(filepath.Dir(dbPath)); err != nil {
			// Opening will say what is missing; a lock file there cannot
			// be made and is not needed.
			return func() error { return nil }, nil
		}
	}
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("%s: writer lock: %w", db, err)
		}
		locked, err := tryLockFile(f)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("%s: writer lock %s: %w", db, path, err), f.Close())
		}
		if !locked {
			le := &LockedError{DB: db, Holder: readHolder(f)}
			f.Close()
			if le.Holder == nil {
				le.Why = "its holder did not record itself"
			}
			return nil, le
		}
		// A holder that was ending may have removed the file after this
		// process opened it: then the lock is on a file nobody else sees.
		if st, err := os.Stat(path); err != nil || !sameFile(f, st) {
			f.Close()
			continue
		}
		data := encodeHolder(h)
		if err := errors.Join(f.Truncate(0), writeAt(f, data), f.Sync()); err != nil {
			return nil, errors.Join(fmt.Errorf("%s: writer lock %s: %w", db, path, err), f.Close())
		}
		return func() error {
			// Removed while still locked, so that a process waiting on the
			// old file finds it gone (see above). Windows refuses to
			// remove an open file; there it stays, unlocked.
			if removeLockedFile() {
				_ = os.Remove(path)
			}
			return f.Close() // closing releases the lock
		}, nil
	}
	return nil, fmt.Errorf("%s: writer lock %s: the lock file keeps being replaced", db, path)
}

func writeAt(f *os.File, b []byte) error {
	_, err := f.WriteAt(b, 0)
	return err
}

func sameFile(f *os.File, st os.FileInfo) bool {
	fst, err := f.Stat()
	return err == nil && os.SameFile(fst, st)
}

// readHolder reads the holder a lock file records, waiting a moment for a
// holder that has just taken the lock to write it.
func readHolder(f *os.File) *Holder {
	buf := make([]byte, 4096)
	for range 40 {
		n, _ := f.ReadAt(buf, 0)
		if h := decodeHolder(buf[:n]); h != nil {
			return h
		}
		time.Sleep(25 * time.Millisecond)
	}
	return nil
}
