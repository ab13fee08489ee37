//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// tryShared takes a shared lock on the writer lock file f without waiting:
// refused while a writer holds its exclusive lock (filelock), granted
// beside other readers. unlock gives it up.
func tryShared(f *os.File) (locked bool, unlock func(), err error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil, nil
		case errors.Is(err, syscall.EINTR):
			continue
		}
		return false, nil, err
	}
}
