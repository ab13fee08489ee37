// Package atomicfile replaces files so that readers see the old content or
// the new, never a part: journals, plans, reports, runbooks, and the lab
// estate's topology document and user directory.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
)

// Write replaces the file at path with data: it writes a
// temporary file in the same directory, flushes it to disk, gives it the
// permissions of the file it replaces (0644 for a new file) and renames it
// over path, so that readers see either the old or the new content. On
// systems other than Windows the directory is flushed too, so the rename
// survives a crash.
//
// Options may change the data on its way (Scrub).
func Write(path string, data []byte, opts ...Option) error {
	return WriteWith(path, data, nil, opts...)
}

// WriteWith is Write that first tells record, when not nil, the path its
// temporary file will have (".NAME.tmp-DIGITS" beside path,
// CreateRecorded), before the file exists: a Ledger records it there
// (Ledger.Record), so that a process killed at any moment before the
// rename has its temporary file removed later (Ledger.Sweep), and one
// killed before the file was made left nothing. An error from record is
// returned and no file is made.
func WriteWith(path string, data []byte, record func(tmp string) error, opts ...Option) (err error) {
	dir := filepath.Dir(path)
	f, err := CreateRecorded(dir, "."+filepath.Base(path)+".tmp-", record)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreNotExist(os.Remove(tmp)))
		}
	}()
	for _, o := range opts {
		if o != nil {
			data = o(data)
		}
	}
	mode := os.FileMode(0o644)
	if fi, statErr := os.Stat(path); statErr == nil {
		mode = fi.Mode().Perm()
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, errors.Join(err, f.Close()))
	}
	if err := f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("chmod %s: %w", path, errors.Join(err, f.Close()))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, errors.Join(err, f.Close()))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	dh, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	if err := dh.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, errors.Join(err, dh.Close()))
	}
	if err := dh.Close(); err != nil {
		return fmt.Errorf("close %s: %w", dir, err)
	}
	return nil
}

// CreateRecorded creates, exclusively, a new file in dir named prefix and
// digits, open for writing. record, when not nil, is told the file's path
// first, before the file exists: a Ledger records it (Ledger.Record), so
// that the file of a process killed at any moment after is removed later
// (Ledger.Sweep); a ledger line whose file never came to be is dropped.
// An error from record is returned, and no file is made. The digits are
// the process's ID and a random number: no other process that runs names
// a file so, and a file already there (left by an ended process of the
// same ID) is never opened; the next name is tried.
func CreateRecorded(dir, prefix string, record func(path string) error) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf("%s%d%09d", prefix, os.Getpid(), rand.IntN(1e9)))
		if record != nil {
			if err := record(name); err != nil {
				return nil, err
			}
		}
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("create %s%d...: every name tried is taken", filepath.Join(dir, prefix), os.Getpid())
}

func ignoreNotExist(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Option changes the data Write writes.
type Option func([]byte) []byte

// ScrubJSON masks the secrets s knows in JSON data's string values (see
// secret.Scrubber.JSON): the file stays JSON. A nil s masks nothing.
func ScrubJSON(s interface{ JSON([]byte) []byte }) Option {
	return func(b []byte) []byte {
		if s == nil {
			return b
		}
		return s.JSON(b)
	}
}

// Scrub masks the secrets s knows in the data (see package secret). A nil
// s masks nothing.
func Scrub(s interface{ Bytes([]byte) []byte }) Option {
	return func(b []byte) []byte {
		if s == nil {
			return b
		}
		return s.Bytes(b)
	}
}
