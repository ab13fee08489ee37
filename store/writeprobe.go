package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pcmig/pcmig/internal/proc"
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
	if h != nil && h.PID == os.Getpid() && h.Host == proc.Host() {
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
	b := make([]byte, 64<<10)
	for range 40 {
		n, _ := f.ReadAt(b, 0)
		if h := decodeHolder(b[:n]); h != nil {
			return h
		}
		time.Sleep(25 * time.Millisecond)
	}
	return nil
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

// A reader that began before a writer (an import started during a long
// export) is not refused at Open. A WriteMark taken when it begins and
// checked with WrittenSince when it has read everything finds that writer:
// still at work (its writer lock held), or done (the database file's change
// counter moved).

// WriteMark is what WrittenSince compares with.
type WriteMark struct {
	counter uint32
	ok      bool
}

// ErrWrittenMeanwhile is wrapped by WrittenSince's error.
var ErrWrittenMeanwhile = errors.New("another process wrote to this database while pcmig read it")

// watched reports whether the store reads an embedded database itself
// without its writer lock: the stores another process may write under.
func (s *Store) watched() bool {
	_, ok := s.dialect.(sqliteDialect)
	return ok && s.cfg.ReadOnly && s.sim == nil
}

// WriteMark marks the embedded database's state before a read
// (WrittenSince). For other stores it marks nothing.
func (s *Store) WriteMark() WriteMark {
	if !s.watched() {
		return WriteMark{}
	}
	c, ok := changeCounter(s.cfg.SQLitePath())
	return WriteMark{counter: c, ok: ok}
}

// WrittenSince refuses what was read since m when another process wrote
// to the embedded database meanwhile or writes to it now: its writer lock
// is held (a *LockedError, Reading), or the file's change counter (offset
// 24 of its header, which SQLite moves at every commit) moved. A database
// in WAL mode, whose counter does not move, is checked for its lock only.
// SQL Server stores, writers and dry runs check nothing: a writer holds
// the lock itself, so no other pcmig writes.
func (s *Store) WrittenSince(m WriteMark) error {
	if !s.watched() {
		return nil
	}
	if le := otherWriter(s.cfg.SQLitePath(), s.Describe()); le != nil {
		return le
	}
	if c, ok := changeCounter(s.cfg.SQLitePath()); m.ok && ok && c != m.counter {
		return fmt.Errorf("%s: %w (its change counter moved from %d to %d): what was read mixes the pool before and after those writes; "+
			"wait until no process writes to it, then run this again", s.Describe(), ErrWrittenMeanwhile, m.counter, c)
	}
	return nil
}

// changeCounter reads an SQLite file's change counter; false for a file
// that is not one, or one in WAL mode (header byte 18 is 2).
func changeCounter(path string) (uint32, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var b [28]byte
	if _, err := io.ReadFull(f, b[:]); err != nil || string(b[:len(sqliteHeader)]) != sqliteHeader || b[18] == 2 {
		return 0, false
	}
	return binary.BigEndian.Uint32(b[24:28]), true
}
