package fsguard

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSameSeesThroughLinksAndSpellings(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "target.db")
	if err := os.WriteFile(db, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.zip")
	if err := os.Link(db, hard); err != nil {
		t.Skip("no hard links here:", err)
	}
	soft := filepath.Join(dir, "soft.zip")
	if err := os.Symlink(db, soft); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	other := filepath.Join(dir, "other.zip")
	if err := os.WriteFile(other, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, hard, soft, filepath.Join(dir, "sub", "..", "target.db"), dir + "/./target.db"} {
		if !Same(p, db) {
			t.Errorf("Same(%s, %s) = false", p, db)
		}
	}
	for _, p := range []string{other, filepath.Join(dir, "missing.db"), "", dir} {
		if Same(p, db) {
			t.Errorf("Same(%s, %s) = true", p, db)
		}
	}
	err := Distinct([]File{{Role: "archive", Path: soft}, {Role: "report", Path: other}, {Role: "plan", Path: other}}, []File{{Role: "target database", Path: db}})
	if !errors.Is(err, ErrCollision) {
		t.Fatalf("Distinct = %v", err)
	}
	for _, want := range []string{"archive " + soft + " is the target database", "plan " + other + " is also the report"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\ndoes not say %q", err, want)
		}
	}
	if err := Distinct([]File{{Role: "archive", Path: other}, {Role: "report"}}, []File{{Role: "target database", Path: db}, {Role: "topology"}}); err != nil {
		t.Errorf("Distinct of distinct files: %v", err)
	}
}

func TestWithin(t *testing.T) {
	for _, tt := range []struct {
		path, dir string
		want      bool
	}{
		{"/a/b/c", "/a/b", true},
		{"/a/b", "/a/b", true},
		{"/a/bc", "/a/b", false},
		{"/a/b/../c", "/a/b", false},
		{"/a", "/a/b", false},
		{"/a/b/..x", "/a/b", true},
	} {
		if got := Within(tt.path, tt.dir); got != tt.want {
			t.Errorf("Within(%s, %s) = %v", tt.path, tt.dir, got)
		}
	}
}
