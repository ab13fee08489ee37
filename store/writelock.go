package store

// The writer lock: one pcmig process writes to a database at a time.
//
// Two imports of one archive into one target at once would both plan
// against the same state and both append the messages. Every store opened
// for writing (not ReadOnly, not Shadow) therefore takes an exclusive lock
// in or beside the database before it reads anything, and holds it until
// Close; a second writer is refused at Open with the holder's name. Readers
// (inventory, export without --disable-exported, dry runs) hold no lock; a
// reader of an embedded database another process writes to is refused
// (writeprobe.go). A lock dies with its process: nothing is left to clean
// up after a kill.
//
//   - Embedded databases: an OS file lock (flock, LockFileEx) on the file
//     NAME.pcmig-lock beside the database, which also records the holder.
//   - SQL Server: sp_getapplock, owned by the session, on a connection the
//     store pins for its life; the holder is written to that session's
//     CONTEXT_INFO, which the refused writer reads from
//     sys.dm_exec_sessions. No table is created or changed.
//     A session can end under a running store (a network failure, a
//     killed session), releasing the lock: every write transaction first
//     checks that the session still holds it (checkWriterLock) and is
//     refused, with every later write, once it does not.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pcmig/pcmig/internal/proc"
)

// ErrLocked is wrapped by the error Open returns while another pcmig
// process writes to the database.
var ErrLocked = errors.New("another pcmig process is writing to this database")

// Holder is who holds a database's writer lock: the command (its words,
// never its flags or a DSN), the account that runs it, the process and
// when it took the lock.
type Holder struct {
	Command string    `json:"command"` // "pcmig import"
	User    string    `json:"user,omitempty"`
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Since   time.Time `json:"since"`
}

func (h Holder) String() string {
	cmd := h.Command
	if cmd == "" {
		cmd = "pcmig"
	}
	if h.User != "" {
		cmd += " run by " + h.User
	}
	s := fmt.Sprintf("%s, pid %d on host %s", cmd, h.PID, h.Host)
	if !h.Since.IsZero() {
		s += ", since " + h.Since.UTC().Format(time.RFC3339)
	}
	return s
}

// LockedError is the refusal of a second writer, or of a reader of an
// embedded database another process writes to (Reading).
type LockedError struct {
	DB     string  // the database, described without secrets
	Holder *Holder // nil when the holder could not be read
	Why    string  // why the holder is unknown
	// Reading: the refused store only reads. What it would read is not the
	// pool the writer leaves: an import's hold (store/hold.go) shows
	// readers the pool as it was before the import, a sequential import
	// the parts committed so far.
	Reading bool
	// Timeout: Open waited for the lock, Waited long, until near its
	// context's deadline (the run's --timeout).
	Timeout bool
	Waited  time.Duration
}

func (e *LockedError) Error() string {
	who := "its holder could not be read"
	if e.Why != "" {
		who += " (" + e.Why + ")"
	}
	if e.Holder != nil {
		who = "held by " + e.Holder.String()
	}
	waited := ""
	if e.Timeout {
		waited = "; it is still held shortly before the run's --timeout ends, until when pcmig waited for it"
		if w := e.Waited.Round(100 * time.Millisecond); w > 0 {
			waited = fmt.Sprintf("; pcmig waited %s for it, until shortly before the run's --timeout ends, and it is still held", w)
		}
	}
	if e.Reading {
		return fmt.Sprintf("%s: %v: %s%s; this command only reads, but what it would read now is not the pool that process "+
			"leaves (an import not yet committed, or half done), so it reads nothing: wait until it ends, then run this again", e.DB, ErrLocked, who, waited)
	}
	return fmt.Sprintf("%s: %v: %s%s; wait until it ends, then run this again", e.DB, ErrLocked, who, waited)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

type commandKey struct{}

// WithCommand names the command that opens stores under ctx ("pcmig
// import"), for the writer lock's holder.
func WithCommand(ctx context.Context, command string) context.Context {
	return context.WithValue(ctx, commandKey{}, command)
}

// newHolder describes this process.
func newHolder(ctx context.Context, now time.Time) Holder {
	cmd, _ := ctx.Value(commandKey{}).(string)
	return Holder{Command: cmd, User: currentUser(), PID: os.Getpid(), Host: proc.Host(), Since: now.UTC().Truncate(time.Second)}
}

// currentUser names the account this process runs as, as the run lock
// does (proc.User).
func currentUser() string { return proc.User(os.Getenv) }

// writer reports whether a store with this configuration writes to the
// database itself and so takes the writer lock.
func (c Config) writer() bool { return !c.ReadOnly && !c.Shadow }

// lockEmbedded takes the writer lock of an embedded database before it is
// opened (or created); release gives it up. Stores that do not write get a
// release that does nothing.
func lockEmbedded(ctx context.Context, kind string, cfg Config) (release, held func() error, err error) {
	if kind != "sqlite" || !cfg.writer() {
		return func() error { return nil }, nil, nil
	}
	return lockFile(cfg.SQLitePath(), cfg.Describe(), newHolder(ctx, cfg.Now()))
}

// encodeHolder is the holder as the lock records it.
func encodeHolder(h Holder) []byte {
	b, _ := json.Marshal(h)
	return b
}

// decodeHolder reads what encodeHolder wrote, or nil.
func decodeHolder(b []byte) *Holder {
	var h Holder
	if err := json.Unmarshal([]byte(strings.TrimRight(string(b), "\x00 \n")), &h); err != nil || h.PID == 0 {
		return nil
	}
	return &h
}

// LockEmbeddedFile takes the writer lock of the embedded database at path
// without opening it, for a command that replaces the file (pcmig lab
// init --overwrite): a process writing to it refuses this one, as a second
// writer is refused at Open (*LockedError), and while it is held no pcmig
// opens the database to write. release gives it up.
func LockEmbeddedFile(ctx context.Context, path string) (release func() error, err error) {
	release, _, err = lockFile(path, "sqlite:"+path, newHolder(ctx, time.Now()))
	return release, err
}
