//go:build unix

package filestore

import "golang.org/x/sys/unix"

// canWrite asks the OS, without writing, whether this process may create
// files in dir (access(2) with W_OK|X_OK: permissions, ACLs and read-only
// mounts). ok is false where the OS cannot be asked this way.
func canWrite(dir string) (ok bool, err error) {
	return true, unix.Access(dir, unix.W_OK|unix.X_OK)
}

// openNonBlock opens a source file without waiting: a named pipe put in
// place of a file opens at once (and is then refused) instead of blocking
// until a writer comes. Regular files ignore it.
const openNonBlock = unix.O_NONBLOCK
