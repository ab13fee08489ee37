package archtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeLayoutNamesEveryPackage: the README's Layout table names
// every folder of Go code (or a folder above it), so that a reader finds
// where each concept lives. It had left out fsguard, secret, jsonerr and
// most of internal/.
func TestReadmeLayoutNamesEveryPackage(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no ## Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n## ")
	named := map[string]bool{}
	for _, line := range strings.Split(layout, "\n") {
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "|"), "|")
		for _, f := range strings.Split(first, "`") {
			named[f] = true
		}
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == root {
			return err
		}
		if name := d.Name(); name == "third_party" || name == "testdata" || strings.HasPrefix(name, ".") {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		for dir := rel; dir != "."; dir = filepath.ToSlash(filepath.Dir(dir)) {
			if named[dir] {
				return filepath.SkipDir
			}
		}
		code, _ := filepath.Glob(filepath.Join(p, "*.go"))
		for _, f := range code {
			if !strings.HasSuffix(f, "_test.go") {
				t.Errorf("README.md's Layout does not name %s (nor a folder above it)", rel)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
