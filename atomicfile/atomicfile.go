// Package atomicfile replaces files so that readers see the old content or
// the new, never a part: journals, plans, reports, runbooks, and the lab
// estate's topology document and user directory.
package atomicfile

import (
	"errors"
	"fmt"
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

// WriteWith is Write that calls created, when not nil, with the temporary
// file's path as soon as the file exists (created exclusively, named
// ".NAME.tmp-DIGITS" beside path), before anything is written into it: a
// Ledger records it there, so that a process killed before the rename has
// its temporary file removed later (Ledger.Sweep). An error from created
// removes the file and is returned.
func WriteWith(path string, data []byte, created func(tmp string) error, opts ...Option) (err error) {
	for _, o := range opts {
		if o != nil {
			data = o(data)
		}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreNotExist(os.Remove(tmp)))
		}
	}()
	if created != nil {
		if err := created(tmp); err != nil {
			return fmt.Errorf("write %s: %w", path, errors.Join(err, f.Close()))
		}
	}
	mode := os.FileMode(0o644)
	if fi, statErr := os.Stat(path); statErr == nil {
		mode = fi.Mode().Perm()
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp, errors.Join(err, f.Close()))
	}
	if err := f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("chmod %s: %w", tmp, errors.Join(err, f.Close()))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp, errors.Join(err, f.Close()))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
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

func ignoreNotExist(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Option changes the data Write writes.
type Option func([]byte) []byte

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
