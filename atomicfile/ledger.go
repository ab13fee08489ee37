package atomicfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/filelock"
	"github.com/pcmig/pcmig/internal/proc"
)

// Ledger is a file, in a folder the caller owns (a run's state folder),
// that records the temporary files of the atomic writes a process makes
// elsewhere (a report beside other files): each is recorded, with the
// process's ID and host, before it is made (WriteWith, CreateRecorded),
// so that no kill leaves one unrecorded, and a later
// process removes those whose writer is no longer running (Sweep). A file
// is removed only when the ledger recorded its exact path, it is still a
// regular file named as Write names its temporary files, and its writer
// ran on this host and has ended: a file of another program, of any
// name, is never removed.
type Ledger struct {
	Path string

	// sweepRead, when set (tests), is called once Sweep has read the
	// ledger, with its lock held.
	sweepRead func()
}

// ledgerLine is one recorded temporary file.
type ledgerLine struct {
	File string `json:"file"`
	PID  int    `json:"pid"`
	Host string `json:"host"`
}

// Record appends tmp, made absolute, to the ledger and flushes it to
// disk: for WriteWith's and CreateRecorded's record, before the file is
// made. It holds the ledger's lock (lock) while it writes, as Sweep and
// Forget do while they read and rewrite it: another process's Sweep
// rewriting the ledger from what it had read lost a line appended
// meanwhile (a temporary file then left for good).
func (l Ledger) Record(tmp string) error {
	abs, err := filepath.Abs(tmp)
	if err != nil {
		return fmt.Errorf("ledger of temporary files: %w", err)
	}
	b, err := json.Marshal(ledgerLine{File: abs, PID: os.Getpid(), Host: proc.Host()})
	if err != nil {
		return fmt.Errorf("ledger of temporary files: %w", err)
	}
	lk, err := l.lock(true)
	if err != nil {
		return err
	}
	f := lk.File()
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return fmt.Errorf("ledger of temporary files %s: %w", l.Path, errors.Join(err, lk.Abandon()))
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("ledger of temporary files %s: %w", l.Path, errors.Join(err, lk.Abandon()))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("ledger of temporary files %s: %w", l.Path, errors.Join(err, lk.Abandon()))
	}
	return lk.Abandon()
}

// ledgerWait is how long Record, Sweep and Forget wait for another
// process's turn on the ledger, which takes a moment.
const ledgerWait = 30 * time.Second

// lock takes the ledger's lock (filelock.Wait), creating the file when
// create is set; without it a ledger that is not there is (nil, nil).
func (l Ledger) lock(create bool) (*filelock.Lock, error) {
	lk, err := filelock.Wait(l.Path, create, ledgerWait)
	switch {
	case !create && errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("ledger of temporary files: %w", err)
	}
	return lk, nil
}

// readLocked reads the ledger held by lk.
func (l Ledger) readLocked(lk *filelock.Lock) ([]byte, error) {
	f := lk.File()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("ledger of temporary files %s: %w", l.Path, err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("ledger of temporary files %s: %w", l.Path, err)
	}
	return b, nil
}

// rewriteLocked replaces the ledger held by lk with keep, in place (its
// lock is on the file), and gives the lock up; a ledger left with no line
// is removed (emptied where an open file cannot be removed). The lines
// are written before the file is cut to their length: a kill between
// leaves old lines after them, each of which a Sweep drops again.
func (l Ledger) rewriteLocked(lk *filelock.Lock, keep []byte) error {
	if len(keep) == 0 {
		if err := lk.Release(); err != nil {
			return fmt.Errorf("ledger of temporary files: %w", err)
		}
		return nil
	}
	f := lk.File()
	if _, err := f.WriteAt(keep, 0); err != nil {
		return fmt.Errorf("ledger of temporary files %s: %w", l.Path, errors.Join(err, lk.Abandon()))
	}
	if err := f.Truncate(int64(len(keep))); err != nil {
		return fmt.Errorf("ledger of temporary files %s: %w", l.Path, errors.Join(err, lk.Abandon()))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("ledger of temporary files %s: %w", l.Path, errors.Join(err, lk.Abandon()))
	}
	return lk.Abandon()
}

// Sweep removes the temporary files the ledger records whose writer has
// ended (see Ledger) and forgets them, keeping the lines of writers that
// may still run (this process, another host's, a running process's). A
// line whose file is not there (renamed into place, or never made: the
// writer was killed between recording it and making it) is dropped, as
// is a line it cannot read (a write a kill cut short): it proves
// nothing. It returns the files it removed.
func (l Ledger) Sweep() ([]string, error) {
	lk, err := l.lock(false)
	if lk == nil || err != nil {
		return nil, err
	}
	b, err := l.readLocked(lk)
	if err != nil {
		return nil, errors.Join(err, lk.Abandon())
	}
	if l.sweepRead != nil {
		l.sweepRead()
	}
	host := proc.Host()
	var keep bytes.Buffer
	var removed []string
	var errs []error
	for line := range bytes.Lines(b) {
		var e ledgerLine
		if json.Unmarshal(line, &e) != nil || !filepath.IsAbs(e.File) || !isLedgerTemp(filepath.Base(e.File)) {
			continue
		}
		if e.Host != host || e.PID == os.Getpid() || proc.Running(e.PID) {
			keep.Write(bytes.TrimRight(line, "\n"))
			keep.WriteByte('\n')
			continue
		}
		st, err := os.Lstat(e.File)
		if err != nil || !st.Mode().IsRegular() {
			continue // renamed into place, as nearly always, or never made
		}
		if err := os.Remove(e.File); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove the temporary file %s of an ended pcmig: %w", e.File, err))
			keep.Write(bytes.TrimRight(line, "\n"))
			keep.WriteByte('\n')
			continue
		}
		removed = append(removed, e.File)
	}
	err = l.rewriteLocked(lk, keep.Bytes())
	return removed, errors.Join(append(errs, err)...)
}

// Forget drops the lines of this process whose files are gone (renamed
// into place, removed, or never made), as it ends; a ledger left with no line is
// removed. A file of this process still there stays recorded: the next
// Sweep removes it.
func (l Ledger) Forget() error {
	lk, err := l.lock(false)
	if lk == nil || err != nil {
		return err
	}
	b, err := l.readLocked(lk)
	if err != nil {
		return errors.Join(err, lk.Abandon())
	}
	host, pid := proc.Host(), os.Getpid()
	var keep bytes.Buffer
	for line := range bytes.Lines(b) {
		var e ledgerLine
		if json.Unmarshal(line, &e) == nil && e.Host == host && e.PID == pid {
			if _, err := os.Lstat(e.File); errors.Is(err, fs.ErrNotExist) {
				continue
			}
		}
		keep.Write(bytes.TrimRight(line, "\n"))
		keep.WriteByte('\n')
	}
	return l.rewriteLocked(lk, keep.Bytes())
}

// IsOurs reports whether the file at path can be taken as a ledger: absent,
// or its first line a ledger line. A file of that name that is not one (an
// administrator's) is neither written to nor read as one.
func IsOurs(path string) bool {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil {
		return false
	}
	if len(b) == 0 {
		// Emptied by its last Sweep or Forget where an open file cannot
		// be removed (Windows).
		return true
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	var e ledgerLine
	return json.Unmarshal(first, &e) == nil && filepath.IsAbs(e.File) && e.PID > 0
}

// isLedgerTemp reports whether name has the form of one of pcmig's
// temporary files: an atomic write's (IsTemp) or an archive's being
// written (".NAME.partial-DIGITS" and its rooms spool
// ".NAME.rooms-DIGITS", package archive).
func isLedgerTemp(name string) bool {
	if IsTemp(name) {
		return true
	}
	for _, mark := range []string{".partial-", ".rooms-"} {
		i := strings.LastIndex(name, mark)
		if strings.HasPrefix(name, ".") && i > 1 {
			if d := name[i+len(mark):]; d != "" && strings.Trim(d, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}

// IsTemp reports whether name is a name Write gives its temporary files:
// ".NAME.tmp-DIGITS".
func IsTemp(name string) bool {
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i <= 1 {
		return false
	}
	d := name[i+len(".tmp-"):]
	return d != "" && strings.Trim(d, "0123456789") == ""
}
