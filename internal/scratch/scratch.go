// Package scratch makes the private temporary folders a dry run works in,
// and removes the ones a killed pcmig left behind.
//
// A dry run copies a pool's structure, and the archive it would have
// written, into a folder under the system's temporary folder, and removes
// it when it ends. A process that is killed (SIGKILL, a power cut) cannot:
// the folder stays, with a copy of chat history in it. So each folder's
// name carries the process ID of the pcmig that made it, and making a new
// one first removes those of the same kind whose process is gone.
package scratch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pcmig/pcmig/internal/proc"
)

// StaleAfter is how long a left-over folder must have been untouched
// before it is removed: a folder another pcmig still uses (one whose
// process ID this process cannot see, in another PID namespace) changes
// far more often.
const StaleAfter = time.Hour

// Make creates a folder named prefix, this process's ID, a dash and a
// random part, under the system's temporary folder (readable by its owner
// only), after removing the left-overs of prefix (Sweep). Failing to remove
// a left-over is not an error.
func Make(prefix string) (string, error) {
	Sweep(prefix, time.Now())
	return os.MkdirTemp("", prefix+strconv.Itoa(os.Getpid())+"-*")
}

// Sweep removes the folders Make made for prefix under the system's
// temporary folder whose process is no longer running, that belong to this
// user and whose newest entry is older than StaleAfter at now. It returns
// the paths it removed.
func Sweep(prefix string, now time.Time) []string {
	tmp := os.TempDir()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		pid, ok := ownerPID(e.Name(), prefix)
		if !ok || !e.IsDir() || pid == os.Getpid() || proc.Running(pid) {
			continue
		}
		path := filepath.Join(tmp, e.Name())
		if !ownedByMe(path) || !untouchedSince(path, now.Add(-StaleAfter)) {
			continue
		}
		if os.RemoveAll(path) == nil {
			removed = append(removed, path)
		}
	}
	return removed
}

// ownerPID reads the process ID from a name Make gives: prefix, digits,
// a dash.
func ownerPID(name, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "-")
	if !ok || digits == "" {
		return 0, false
	}
	pid, err := strconv.Atoi(digits)
	if err != nil || pid <= 0 || strconv.Itoa(pid) != digits {
		return 0, false
	}
	return pid, true
}

// untouchedSince reports whether the folder at path and everything in it
// were last modified before limit. A folder that cannot be read whole is
// not untouched.
func untouchedSince(path string, limit time.Time) bool {
	errTouched := errors.New("touched")
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.ModTime().Before(limit) {
			return errTouched
		}
		return nil
	})
	return err == nil
}
