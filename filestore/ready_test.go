package filestore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckSource: a folder is listed and counted; a missing one, a file
// and (not as root) an unreadable subfolder are errors naming the problem;
// the count stops at its budget and says so.
func TestCheckSource(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		p := filepath.Join(dir, "r", string(rune('a'+i%26)), "f"+strings.Repeat("x", i%7)+string(rune('0'+i%10))+".txt")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("abc"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := Count(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := CheckSource(dir, time.Minute)
	if err != nil || !s.Complete || s.Totals != want {
		t.Errorf("CheckSource = %+v, %v; want %+v, complete", s, err, want)
	}
	if s, err := CheckSource(dir, time.Nanosecond); err != nil || s.Complete || s.Files >= want.Files {
		t.Errorf("CheckSource with a spent budget = %+v, %v; want a partial count", s, err)
	}
	if _, err := CheckSource(filepath.Join(dir, "gone"), time.Minute); err == nil || err.Error() != "does not exist" {
		t.Errorf("missing folder: %v", err)
	}
	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSource(file, time.Minute); err == nil || err.Error() != "is not a folder" {
		t.Errorf("a file: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: the unreadable subfolder is not checked")
		return
	}
	sub := filepath.Join(dir, "r", "c")
	if err := os.Chmod(sub, 0o300); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(sub, 0o755) })
	if _, err := CheckSource(dir, time.Minute); err == nil || !strings.Contains(err.Error(), "holds "+sub+", which cannot be listed: permission denied") {
		t.Errorf("unreadable subfolder: %v", err)
	}
}

// TestCheckTarget: a folder, or a missing one whose nearest existing
// ancestor is a folder (Copy's os.MkdirAll creates the rest), passes and
// nothing is left in it; a file in the way is an error. The same with and
// without the write probe.
func TestCheckTarget(t *testing.T) {
	for _, probe := range []bool{true, false} {
		dir := t.TempDir()
		if create, _, err := CheckTarget(dir, probe); err != nil || create != "" {
			t.Errorf("probe %v: CheckTarget(folder) = %q, %v", probe, create, err)
		}
		if create, _, err := CheckTarget(filepath.Join(dir, "a", "b"), probe); err != nil || create != dir {
			t.Errorf("probe %v: CheckTarget(missing) = %q, %v; want %q", probe, create, err, dir)
		}
		if ents, err := os.ReadDir(dir); err != nil || len(ents) != 0 {
			t.Errorf("probe %v: CheckTarget left %v (%v)", probe, ents, err)
		}
		file := filepath.Join(dir, "a")
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := CheckTarget(file, probe); err == nil || err.Error() != "is not a folder" {
			t.Errorf("probe %v: a file: %v", probe, err)
		}
		if _, _, err := CheckTarget(filepath.Join(file, "b"), probe); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("probe %v: a file in the way: %v", probe, err)
		}
	}
}

// TestCheckTargetWithoutProbeWritesNothing: without the probe (a dry run)
// the folder is not written at all, not even for a moment: its
// modification time, which creating and removing a file moves, stays.
// With the probe it moves, which shows the test can see a probe.
func TestCheckTargetWithoutProbeWritesNothing(t *testing.T) {
	for _, probe := range []bool{false, true} {
		dir := t.TempDir()
		old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		if err := os.Chtimes(dir, old, old); err != nil {
			t.Fatal(err)
		}
		if _, _, err := CheckTarget(dir, probe); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if moved := !st.ModTime().Equal(old); moved != probe {
			t.Errorf("probe %v: the folder's modification time moved: %v", probe, moved)
		}
	}
}

// TestStoreRootLinks: a store given as a symbolic link to a folder is
// walked as the folder (filepath.WalkDir alone does not descend into a
// root that is a link, and counted it empty): CheckSource, Count and Copy
// see its files, and Copy writes through a target that is a link; links
// inside the tree are still passed over. A link to nothing is an error of
// CheckSource, of CheckTarget (as the store or above it) and of Copy.
func TestStoreRootLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(filepath.Join(real, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a.txt", "sub/b.txt"} {
		if err := os.WriteFile(filepath.Join(real, f), []byte("abc"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	if err := os.Symlink("real", src); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	if err := os.Symlink("a.txt", filepath.Join(real, "inner-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "realdst"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("realdst", dst); err != nil {
		t.Fatal(err)
	}
	want := Totals{Files: 2, Bytes: 6}
	if s, err := CheckSource(src, time.Minute); err != nil || s.Totals != want {
		t.Errorf("CheckSource(link) = %+v, %v; want %+v", s, err, want)
	}
	if got, err := Count(src); err != nil || got != want {
		t.Errorf("Count(link) = %+v, %v; want %+v", got, err, want)
	}
	res, err := Copy(t.Context(), src, dst, false, nil)
	if err != nil || res.Copied != 2 || res.Source != want || res.Target != want || len(res.Missing) != 0 {
		t.Fatalf("Copy(link, link) = %+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "realdst", "sub", "b.txt")); err != nil {
		t.Errorf("not copied through the target's link: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "realdst", "inner-link")); !os.IsNotExist(err) {
		t.Errorf("a link inside the store was copied (%v)", err)
	}

	gone := filepath.Join(dir, "gone")
	if err := os.Symlink("nowhere", gone); err != nil {
		t.Fatal(err)
	}
	const msg = "is a symbolic link to nowhere, which does not exist"
	if _, err := CheckSource(gone, time.Minute); err == nil || err.Error() != msg {
		t.Errorf("CheckSource(dangling) = %v", err)
	}
	if _, _, err := CheckTarget(gone, false); err == nil || err.Error() != msg {
		t.Errorf("CheckTarget(dangling) = %v", err)
	}
	if _, _, err := CheckTarget(filepath.Join(gone, "x", "y"), false); err == nil || err.Error() != "does not exist, and "+gone+", where the copy would create it, "+msg {
		t.Errorf("CheckTarget(below a dangling link) = %v", err)
	}
	if _, err := Copy(t.Context(), src, gone, false, nil); err == nil || !strings.Contains(err.Error(), msg) {
		t.Errorf("Copy to a dangling link = %v", err)
	}
}
