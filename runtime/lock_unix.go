//go:build unix

package runtime

import (
	"errors"
	"syscall"
)

// processAlive reports whether pid is a running process of this host.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
