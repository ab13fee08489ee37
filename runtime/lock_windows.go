//go:build windows

package runtime

import "os"

// processAlive reports whether pid is a running process of this host. On
// Windows, FindProcess opens the process and fails when it does not exist.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release() // only a handle
	return true
}
