//go:build !unix && !windows

package filelock

import (
	"errors"
	"os"
)

// tryLock: this system has no file locks pcmig knows; locks are refused
// rather than left unguarded.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("file locks are not supported on this system")
}

func removeLocked() bool { return false }
