package filestore

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Links a hostile message can carry never name a file outside the store:
// climbing out, absolute paths, drive letters, UNC forms, NUL bytes.
func TestRelPathHostile(t *testing.T) {
	for _, link := range []string{
		"ma-filelink:///fs01/share/../../etc/passwd",
		"ma-filelink:///fs01/share/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"ma-filelink:///fs01/share//etc/passwd",
		"ma-filelink:///fs01/share/%2Fetc%2Fpasswd",
		"ma-filelink:///fs01/share/a%00b.txt",
		"ma-filelink:///fs01/share/a\x00b.txt",
		`ma-filelink:///fs01/share/C:\Windows\win.ini`,
		"ma-filelink:///fs01/share/C:/Windows/win.ini",
		"ma-filelink:///fs01/share/%5C%5Cevil%5Cshare%5Cx",
		"ma-filelink:///fs01/share/..",
		"ma-filelink:///fs01/share/.",
		// Device and long-path forms, drive-relative paths, streams
		// (passed before these were added: an audit of the link reader).
		"ma-filelink:///fs01/share/%5C%5C%3F%5CC%3A%5Cx",
		"ma-filelink:///fs01/share/%5C%5C.%5CPhysicalDrive0",
		"ma-filelink:///fs01/share///?/C:/x",
		"ma-filelink:///fs01/share//./PhysicalDrive0",
		"ma-filelink:///fs01/share/c:foo",
		"ma-filelink:///fs01/share/r/a.txt:evil",
		"ma-filelink:///fs01/share/r/a.txt%3Aevil",
		"ma-filelink:///fs01/share/r/..%2F..%2F..%2Fx",
		"ma-filelink:///fs01/share/r/%2e%2e/%2e%2e/x",
		`ma-filelink:///fs01/share/r/..\..\x`,
	} {
		if rel, ok := RelPath(link); ok {
			t.Errorf("RelPath(%q) = %q, accepted", link, rel)
		}
	}
}

// A file store folder that is a symbolic link out of the store does not
// make a link's file exist, and a copy never writes through one.
func TestSymlinksLeadingOutOfTheStore(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	src, dst, outside := t.TempDir(), t.TempDir(), t.TempDir()
	write(t, src, "room1/report.txt", "hello")
	write(t, outside, "secret.txt", "x")
	if err := os.Symlink(outside, filepath.Join(dst, "room1")); err != nil {
		t.Fatal(err)
	}
	if Exists(dst, "ma-filelink:///fs/share/room1/secret.txt") {
		t.Error("a file outside the store counts as in it, through a symbolic link")
	}
	_, err := Copy(t.Context(), src, dst, false, nil)
	if _, statErr := os.Stat(filepath.Join(outside, "report.txt")); statErr == nil {
		t.Error("the copy wrote outside the target store, through its symbolic link room1")
	}
	if err == nil || !strings.Contains(err.Error(), "room1") {
		t.Errorf("Copy = %v, want an error naming room1", err)
	}
}

// One store copied into itself, or into a folder inside it, would copy
// its own copies; a store inside the target likewise.
func TestCopyRefusesNestedStores(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a/x.txt", "x")
	for _, tc := range []struct{ src, dst string }{
		{root, root},
		{root, filepath.Join(root, "copy")},
		{filepath.Join(root, "a"), root},
	} {
		if _, err := Copy(t.Context(), tc.src, tc.dst, false, nil); err == nil || !strings.Contains(err.Error(), "inside") && !strings.Contains(err.Error(), "one folder") {
			t.Errorf("Copy(%s, %s) = %v, want a refusal", tc.src, tc.dst, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "copy")); err == nil {
		t.Error("the refused copy created its target")
	}
}

// A large file is streamed, not read into memory.
func TestCopyStreamsLargeFiles(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	const size = 64 << 20
	f, err := os.Create(filepath.Join(src, "video.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := Copy(t.Context(), src, dst, false, nil)
	runtime.ReadMemStats(&after)
	if err != nil || res.Copied != 1 || len(res.Missing) != 0 {
		t.Fatalf("Copy = %+v, %v", res, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("copying a %d MiB file allocated %d MiB", size>>20, alloc>>20)
	}
}

// Source files may have any name: one that is a temporary name of the
// copy, or its variants, and one so long that a temporary name built from
// it would be over the file system's limit. Every one arrives, with its
// content, and nothing else is left in the target.
func TestCopyHostileNames(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	long := strings.Repeat("x", 250) + ".txt"
	files := map[string]string{
		"r/report.docx":               "report",
		"r/.report.docx.pcmig-copy":   "a user's file",
		"r/.report.docx.pcmig-copy-1": "another",
		"r/" + long:                   "long",
		"r/.pcmig-copy":               "short",
	}
	for rel, data := range files {
		write(t, src, rel, data)
	}
	res, err := Copy(t.Context(), src, dst, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 0 || res.Copied != int64(len(files)) {
		t.Errorf("copied %d, missing %v; want %d copied", res.Copied, res.Missing, len(files))
	}
	for rel, data := range files {
		if got, err := os.ReadFile(filepath.Join(dst, rel)); err != nil || string(got) != data {
			t.Errorf("%s = %q, %v; want %q", rel, got, err, data)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dst, "r")); len(entries) != len(files) {
		t.Errorf("the target holds %d entries, want %d", len(entries), len(files))
	}
}
