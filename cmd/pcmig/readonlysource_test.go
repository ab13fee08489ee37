package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readOnlySource moves a lab estate's source database into a folder the
// run may not write (chmod 0555) and points the estate at it. Root writes
// there all the same, so the test is skipped, visibly, when run as root.
func readOnlySource(t *testing.T, dir string) (roDir string) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("running as root: a folder made read-only with chmod 0555 does not stop root's writes; run this test as another user")
	}
	roDir = filepath.Join(dir, "ro")
	if err := os.Mkdir(roDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "source-2015.db"), filepath.Join(roDir, "source-2015.db")); err != nil {
		t.Fatal(err)
	}
	est := filepath.Join(dir, "estate.lua")
	src := string(readFile(t, est))
	if !strings.Contains(src, `"sqlite:source-2015.db"`) {
		t.Fatal("the lab estate names its source database otherwise")
	}
	writeFile(t, est, strings.Replace(src, `"sqlite:source-2015.db"`, `"sqlite:ro/source-2015.db"`, 1))
	if err := os.Chmod(roDir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(roDir, 0o755) })
	return roDir
}

// TestRunReadsASourceInAReadOnlyFolder: a run that only reads the source
// (export without disable_exported) needs no writer lock there; with the
// source database in a folder the operator may not write, it proceeds,
// says so in one line, and completes. Before, it stopped with "writer
// lock: lock file: open .../source-2015.db.pcmig-lock: permission denied"
// and no fix, while plain pcmig export worked.
func TestRunReadsASourceInAReadOnlyFolder(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	roDir := readOnlySource(t, dir)
	stdout, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"))
	mustContain(t, "run", stdout, "EQUAL")
	if n := strings.Count(stderr, "takes no writer lock"); n != 1 {
		t.Errorf("the run says %d times that it takes no writer lock on the source, want once:\n%s", n, stderr)
	}
	mustContain(t, "run's stderr", stderr, "ro/source-2015.db", "only reads this database")
	if entries, _ := os.ReadDir(roDir); len(entries) != 1 {
		t.Errorf("the read-only folder holds %d entries, want the database alone", len(entries))
	}
}

// TestRunRefusesToDisableRoomsInAReadOnlySource: with disable_exported the
// run writes to the source, which it cannot lock or write in a read-only
// folder: it stops before the export, naming the fix.
func TestRunRefusesToDisableRoomsInAReadOnlySource(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	readOnlySource(t, dir)
	est := filepath.Join(dir, "estate.lua")
	src := string(readFile(t, est))
	writeFile(t, est, strings.Replace(src, "disable_exported = false", "disable_exported = true", 1))
	_, stderr, code := runCmd(t, "run", "--estate", est)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	mustContain(t, "error", stderr, "disable_exported", "make the folder", "writable")
	if _, err := os.Stat(filepath.Join(dir, "archive", "pchat-2015.zip")); err == nil {
		t.Error("the refused run wrote the archive")
	}
}
