package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// The run state folder of a lab estate and the run lock in it, as the
// estate file Init writes names them (state = ".pcmig").
const (
	stateDir    = ".pcmig"
	runLockName = "run.lock"
)

// lockInUse takes, before Overwrite removes or replaces anything, the
// locks a run of the estate in dir takes: the run lock in its state
// folder, when there is one, and the writer lock of each of its
// databases that exists. A run that holds the run lock, or any pcmig
// process writing to one of the databases (a run of another estate with
// a state folder of its own, an import), refuses Init, naming the holder;
// while Init holds them, such runs and writers are refused. unlock gives
// them up and removes the state folder if it is left empty.
func lockInUse(ctx context.Context, dir string) (unlock func() error, err error) {
	var releases []func() error
	unlock = func() error {
		var errs []error
		for _, r := range releases {
			errs = append(errs, r())
		}
		// The run lock was all that was left of the state folder; one
		// that holds more (a refused Init) stays.
		_ = os.Remove(filepath.Join(dir, stateDir))
		return errors.Join(errs...)
	}
	refuse := func(err error) error {
		return errors.Join(fmt.Errorf("lab: %s holds an estate in use, nothing was changed: %w", dir, err), unlock())
	}
	if fi, err := os.Stat(filepath.Join(dir, stateDir)); err == nil && fi.IsDir() {
		release, err := pcrt.AcquireRunLock(filepath.Join(dir, stateDir, runLockName), "pcmig lab init --overwrite", io.Discard)
		if err != nil {
			return nil, refuse(err)
		}
		releases = append(releases, release)
	}
	for _, db := range []string{sourceDB, targetDB} {
		path := filepath.Join(dir, db)
		if _, err := os.Lstat(path); err != nil {
			continue
		}
		release, err := store.LockEmbeddedFile(ctx, path)
		if err != nil {
			return nil, refuse(err)
		}
		releases = append(releases, release)
	}
	return unlock, nil
}

// removeState removes what runs left in the state folder, except the run
// lock, which Init holds: removing it would let a run start beside it.
func removeState(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == runLockName {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
