//go:build unix

package proc

import (
	"errors"
	"syscall"
)

// Running reports whether a process with the ID pid exists (one of
// another user counts: kill answers EPERM).
func Running(pid int) bool {
	if pid <= 0 {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
