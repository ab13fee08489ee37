package filestore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The pre-flight of a file store (pcmig doctor's "file store" line): what
// Copy needs of each folder, found before anything is written rather than
// when the step "copy the uploaded files" runs.

// Survey is what a source file store was found to hold.
type Survey struct {
	Totals
	// Complete is false when the count stopped at its time budget: the
	// store holds at least Totals.
	Complete bool
}

// errBudget stops a survey's walk at its deadline.
var errBudget = errors.New("time budget spent")

// CheckSource checks that the store at root, which Copy reads, is a folder
// (or a symbolic link to one, followed as Copy follows it) that can be
// listed, and counts its files for at most budget (0: none).
// An error says what is wrong with the store, to follow its path ("does
// not exist", "is not a folder", "cannot be listed: permission denied"),
// naming any other path it concerns (a subfolder met while counting).
func CheckSource(root string, budget time.Duration) (Survey, error) {
	st, err := os.Stat(root)
	if err != nil {
		if d := dangling(root); d != nil {
			return Survey{}, d
		}
		return Survey{}, missing(err)
	}
	if !st.IsDir() {
		return Survey{}, errors.New("is not a folder")
	}
	if err := list(root); err != nil {
		return Survey{}, err
	}
	var s Survey
	if budget <= 0 {
		return s, nil
	}
	deadline := time.Now().Add(budget)
	n := 0
	real := Resolve(root)
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if rel, rerr := filepath.Rel(real, p); rerr == nil {
			p = filepath.Join(root, rel) // named as the estate names the store
		}
		if err != nil {
			return fmt.Errorf("holds %s, which cannot be listed: %w", p, reason(err))
		}
		if n++; n%256 == 0 && time.Now().After(deadline) {
			return errBudget
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("holds %s, which cannot be read: %w", p, reason(err))
		}
		s.Files++
		s.Bytes += info.Size()
		return nil
	})
	switch {
	case errors.Is(err, errBudget):
		return s, nil
	case err != nil:
		return s, err
	}
	s.Complete = true
	return s, nil
}

// CheckTarget checks that Copy can write the store at root: it is a
// writable folder (or a symbolic link to one), or it does not exist and
// Copy would create it (os.MkdirAll) in its nearest existing ancestor, a
// writable folder; create is then that ancestor. A symbolic link to
// nothing, at root or among the folders above it, is an error: os.MkdirAll
// fails on it. With probe, writing is tried by creating
// and removing a temporary file (".pcmig-doctor-*"), which is what the OS's
// permissions, ACLs, read-only mounts and shares all answer truly; nothing
// is left. Without it (a dry run, which writes nothing anywhere) the OS is
// asked instead where it can be (access(2) on Unix); tried is false where
// it cannot, and writing was then not checked.
func CheckTarget(root string, probe bool) (create string, tried bool, err error) {
	dir := root
	for {
		st, err := os.Stat(dir)
		switch {
		case err == nil && st.IsDir():
		case err == nil && dir == root:
			return "", false, errors.New("is not a folder")
		case err == nil:
			return "", false, fmt.Errorf("does not exist, and %s, where the copy would create it, is not a folder", dir)
		case !errors.Is(err, fs.ErrNotExist):
			return "", false, fmt.Errorf("cannot be checked: %s: %w", dir, reason(err))
		case dangling(dir) != nil && dir == root:
			return "", false, dangling(dir)
		case dangling(dir) != nil:
			return "", false, fmt.Errorf("does not exist, and %s, where the copy would create it, %w", dir, dangling(dir))
		case filepath.Dir(dir) == dir:
			return "", false, missing(err)
		default:
			dir = filepath.Dir(dir)
			continue
		}
		break
	}
	if dir != root {
		create = dir
	} else if err := list(root); err != nil {
		return "", false, err
	}
	unwritable := func(err error) error {
		if create != "" {
			return fmt.Errorf("does not exist, and cannot be created in %s: %w", dir, reason(err))
		}
		return fmt.Errorf("cannot be written: %w", reason(err))
	}
	if !probe {
		ok, err := canWrite(dir)
		if ok && err != nil {
			return "", true, unwritable(err)
		}
		return create, ok, nil
	}
	tmp, err := os.CreateTemp(dir, ".pcmig-doctor-*")
	if err != nil {
		return "", true, unwritable(err)
	}
	name := tmp.Name()
	if err := errors.Join(tmp.Close(), os.Remove(name)); err != nil {
		return "", true, fmt.Errorf("let a test file be written, but not removed: %s: %w", name, reason(err))
	}
	return create, true, nil
}

// dangling is the error of a path that is a symbolic link leading to
// nothing (os.Lstat finds it, os.Stat does not): os.MkdirAll fails on it
// with "file exists". nil for anything else.
func dangling(p string) error {
	st, err := os.Lstat(p)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	to, err := os.Readlink(p)
	if err != nil {
		return errors.New("is a symbolic link to a place that does not exist")
	}
	return fmt.Errorf("is a symbolic link to %s, which does not exist", to)
}

// list checks that the folder dir can be listed.
func list(dir string) error {
	f, err := os.Open(dir)
	if err == nil {
		_, err = f.ReadDir(1)
		f.Close()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("cannot be listed: %w", reason(err))
	}
	return nil
}

// missing is the error of a store that os.Stat did not find.
func missing(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("does not exist")
	}
	return fmt.Errorf("cannot be checked: %w", reason(err))
}

// reason is an error without the path an *fs.PathError repeats (the
// callers name it), such as "permission denied".
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
