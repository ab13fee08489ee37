package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pcmig/pcmig/filelock"
)

// lockFile takes an exclusive OS lock (package filelock) on the file
// DBPATH.pcmig-lock (created if missing) and records the holder in it. A
// lock that another process holds is a *LockedError naming that process.
// The lock is the OS lock, not the file: it ends with the process, however
// the process ends.
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
	lk, _, err := filelock.Acquire(path, func(b []byte) bool { return decodeHolder(b) != nil })
	if held := (*filelock.HeldError)(nil); errors.As(err, &held) {
		le := &LockedError{DB: db, Holder: decodeHolder(held.Record)}
		if le.Holder == nil {
			le.Why = "its holder did not record itself"
		}
		return nil, le
	}
	if err != nil {
		return nil, fmt.Errorf("%s: writer lock: %w", db, err)
	}
	if err := lk.Write(encodeHolder(h)); err != nil {
		return nil, errors.Join(fmt.Errorf("%s: writer lock: %w", db, err), lk.Release())
	}
	return lk.Release, nil
}
