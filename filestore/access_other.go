//go:build !unix

package filestore

// canWrite is not available here: Windows answers "may this account
// write" through ACLs and share permissions that only a write tries
// truly.
func canWrite(string) (ok bool, err error) { return false, nil }
