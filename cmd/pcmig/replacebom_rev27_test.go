package main

import (
	"path/filepath"
	"testing"
)

// TestOverwriteArchiveWithByteOrderMark: an archive whose manifest.json
// starts with a UTF-8 byte order mark (Windows Notepad saves an edited
// manifest so) is read by inspect and import (9ca2350), but an export
// --overwrite onto it refused it as "a zip file without a pcmig
// manifest": the check of what it replaces read the manifest without
// ignoring the mark. It is replaced as any pcmig archive is.
func TestOverwriteArchiveWithByteOrderMark(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	bom := editArchive(t, exportArchive(t, est), func(name string, b []byte) []byte {
		if name == "manifest.json" {
			return append([]byte("\ufeff"), b...)
		}
		return b
	})
	mustRun(t, exitOK, "inspect", bom)
	mustRun(t, exitOK, "export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", bom, "--overwrite")
	mustRun(t, exitOK, "inspect", bom)
}
