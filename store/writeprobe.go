package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"
)

// A reader of an embedded database that another pcmig process writes to
// would read a pool that process has not finished: under an import's hold
// (hold.go) the pool as it was before the import, from a sequential
// import the parts committed so far (an export of it would be a mix, a
// verify would report differences that are only the import's progress).
// So a store that only reads (ReadOnly, a dry run's Shadow, doctor) first
// looks at the database's writer lock: held by another process, it is
// refused (*LockedError, Reading), naming the holder. The look is a shared
// lock on the lock file, taken and given up at once: readers never block
// one another, and a writer that meets one tries again (lockFile).
//
// Within one process (pcmig run writes to a database and reads it) the
// lock is this process's own, and nothing is refused.

// otherWriter is the refusal of a reader of the embedded database at
// dbPath (described as db) while another process holds its writer lock;
// nil when none does, or when the lock file cannot be read (another
// account's, without read permission: then nothing can be told).
func otherWriter(dbPath, db string) *LockedError {
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real
	}
	f, err := os.Open(dbPath + ".pcmig-lock")
	if err != nil {
		return nil // no lock file: no writer (each makes it before it writes)
	}
	defer f.Close()
	locked, unlock, err := tryShared(f)
	if err != nil {
		return nil
	}
	if locked {
		unlock()
		return nil
	}
	h := readHolder(f)
	if h != nil && h.PID == os.Getpid() && h.Host == hostname() {
		return nil // this process writes to it
	}
	le := &LockedError{DB: db, Holder: h, Reading: true}
	if h == nil {
		le.Why = "its holder did not record itself"
	}
	return le
}

// checkNoWriter is otherWriter's refusal for the database of cfg (an
// embedded one), as an error.
func (cfg Config) checkNoWriter() error {
	if le := otherWriter(cfg.SQLitePath(), cfg.Describe()); le != nil {
		return le
	}
	return nil
}

// readHolder reads a lock file's holder, waiting a moment (at most a
// second) for one that has just taken the lock to record itself.
func readHolder(f *os.File) *Holder {
	for range 40 {
		b := make([]byte, 64<<10)
		n, _ := f.ReadAt(b, 0)
		if h := decodeHolder(b[:n]); h != nil {
			return h
		}
		time.Sleep(25 * time.Millisecond)
	}
	return nil
}

func hostname() string {
	host, err := os.Hostname()
	if err != nil {
		return "(unknown)"
	}
	return host
}

// lockWaitPoll is how often Open tries again a database another process
// holds, while its context has a deadline (the run's --timeout).
const lockWaitPoll = 50 * time.Millisecond

// waitUnlocked calls try until it returns no *LockedError. Without a
// deadline on ctx the first refusal is returned at once; with one (pcmig
// run --timeout), try is called again until the deadline is near, and the
// last refusal is returned, saying how long it waited, while ctx still
// lives (so that the run says who holds the database rather than only that
// its time ran out). Any other error ends the wait.
func waitUnlocked(ctx context.Context, try func() error) error {
	err := try()
	var le *LockedError
	deadline, ok := ctx.Deadline()
	if !ok || !errors.As(err, &le) {
		return err
	}
	start := time.Now()
	// Give up before the deadline (a tenth of the time left, at least one
	// second and at most ten): the run's time limit would otherwise stand
	// in for the refusal, and the script needs a moment to report it.
	stop := deadline.Add(-min(max(time.Until(deadline)/10, time.Second), 10*time.Second))
	for {
		wait := min(lockWaitPoll, time.Until(stop))
		if wait <= 0 || ctx.Err() != nil {
			le.Waited, le.Timeout = time.Since(start), true
			return err
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
			if err = try(); !errors.As(err, &le) {
				return err
			}
		}
	}
}
