package fsguard

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutside is wrapped by Confine's error. It wraps fs.ErrPermission.
var ErrOutside = fmt.Errorf("%w: outside the folders this run may use", fs.ErrPermission)

// Confine reports an error unless path lies in one of the folders roots.
// Symbolic links are followed as far as the path exists, so a link inside
// a root that points elsewhere (to /etc/shadow, to /proc/self/environ) is
// outside. allowHint says how to allow more.
func Confine(path string, roots []string, allowHint string) error {
	real := Resolve(path)
	for _, r := range roots {
		if r != "" && Within(real, Resolve(r)) {
			return nil
		}
	}
	list := make([]string, 0, len(roots))
	for _, r := range roots {
		if r != "" {
			list = append(list, r)
		}
	}
	return fmt.Errorf("%s: %w (%s); %s", path, ErrOutside, strings.Join(list, ", "), allowHint)
}

// Resolve makes path absolute and follows the symbolic links of its
// longest existing prefix: one file or folder however it is reached
// (relative, through links), whether or not it exists yet.
func Resolve(path string) string {
	p := Abs(path)
	rest := ""
	for {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		} else if !errors.Is(err, os.ErrNotExist) {
			return filepath.Join(p, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}
