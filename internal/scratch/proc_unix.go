//go:build unix

package scratch

import (
	"os"
	"syscall"
)

// ownedByMe reports whether this process's user owns path.
func ownedByMe(path string) bool {
	info, err := os.Lstat(path)
	if err != nil {
		return false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
