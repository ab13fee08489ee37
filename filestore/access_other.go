//go:build !unix

package filestore

// canWrite is not available here: Windows answers "may this account
// write" through ACLs and share permissions that only a write tries
// truly.
func canWrite(string) (ok bool, err error) { return false, nil }

// openNonBlock is 0 where there are no named pipes in file systems.
const openNonBlock = 0
