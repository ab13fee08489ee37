//go:build !unix && !windows

package store

import (
	"errors"
	"os"
)

// tryLockFile: this system has no file locks pcmig knows; writers are
// refused rather than left unguarded.
func tryLockFile(*os.File) (bool, error) {
	return false, errors.New("file locks are not supported on this system")
}

func removeLockedFile() bool { return false }
