package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveWithBytesAroundTheZipRefused: a pcmig archive is a zip file
// (docs/archive-format.md §1). Bytes before its first entry (a
// self-extracting program's stub, another zip the archive was appended
// to) or after its end of central directory record are not part of it,
// and archive/zip reads past them without a word: inspect and import
// (dry run or not) accepted all three, exit 0. Now refused, naming what
// is wrong, the target untouched.
func TestArchiveWithBytesAroundTheZipRefused(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	good := exportArchive(t, dir)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.zip")
	writeZip(t, other, "readme.txt", "not an archive")
	otherZip, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	stub := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0xCC}, 4092)...)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"self-extracting stub", append(append([]byte(nil), stub...), data...), "data precedes the zip's first entry (a self-extracting or prefixed file; an archive is a zip file alone): use the .zip file pcmig wrote"},
		{"appended to another zip", append(append([]byte(nil), otherZip...), data...), "data precedes the zip's first entry (a self-extracting or prefixed file; an archive is a zip file alone): use the .zip file pcmig wrote"},
		{"trailing garbage", append(append([]byte(nil), data...), "hunter2 trailing bytes\n"...), "data follows the end of the zip (an archive is a zip file alone; appended bytes are not pcmig's): copy the archive again from where pcmig wrote it"},
		{"trailing zeros", append(append([]byte(nil), data...), make([]byte, 512)...), "data follows the end of the zip (an archive is a zip file alone; appended bytes are not pcmig's): copy the archive again from where pcmig wrote it"},
	} {
		path := filepath.Join(t.TempDir(), "pchat.zip")
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, "target-2019.db")
		before := hashTree(t, dir)["target-2019.db"]
		for _, args := range [][]string{
			{"inspect", path},
			{"import", "--db", "sqlite:" + target, "--file", path, "--dry-run"},
			{"import", "--db", "sqlite:" + target, "--file", path},
		} {
			stdout, stderr, code := runCmd(t, args...)
			if code != exitError {
				t.Errorf("%s: %s: exit %d, want %d\n%s%s", c.name, args[0], code, exitError, stdout, stderr)
			}
			mustContain(t, c.name+" "+args[0], stderr, "not a pcmig archive: "+c.want)
			if strings.Contains(stdout+stderr, "hunter2") {
				t.Errorf("%s: the file's bytes are quoted", c.name)
			}
		}
		if hashTree(t, dir)["target-2019.db"] != before {
			t.Errorf("%s: the target changed", c.name)
		}
	}
	// The archive itself still reads.
	mustRun(t, exitOK, "inspect", good)
}
