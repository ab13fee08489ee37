//go:build windows

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryShared takes a shared lock on the byte of the writer lock file f that
// a writer locks exclusively (filelock), without waiting: refused while a
// writer holds it, granted beside other readers. unlock gives it up.
func tryShared(f *os.File) (locked bool, unlock func(), err error) {
	h := windows.Handle(f.Fd())
	ol := &windows.Overlapped{Offset: 0, OffsetHigh: 0x40000000}
	err = windows.LockFileEx(h, windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, func() { windows.UnlockFileEx(h, 0, 1, 0, &windows.Overlapped{Offset: 0, OffsetHigh: 0x40000000}) }, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil, nil
	}
	return false, nil, err
}
