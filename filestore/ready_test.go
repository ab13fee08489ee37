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
// nothing is left in it; a file in the way is an error.
func TestCheckTarget(t *testing.T) {
	dir := t.TempDir()
	if create, err := CheckTarget(dir); err != nil || create != "" {
		t.Errorf("CheckTarget(folder) = %q, %v", create, err)
	}
	if create, err := CheckTarget(filepath.Join(dir, "a", "b")); err != nil || create != dir {
		t.Errorf("CheckTarget(missing) = %q, %v; want %q", create, err, dir)
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) != 0 {
		t.Errorf("CheckTarget left %v (%v)", ents, err)
	}
	file := filepath.Join(dir, "a")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckTarget(file); err == nil || err.Error() != "is not a folder" {
		t.Errorf("a file: %v", err)
	}
	if _, err := CheckTarget(filepath.Join(file, "b")); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("a file in the way: %v", err)
	}
}
