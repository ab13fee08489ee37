// Package fsguard decides which files pcmig may touch:
//
//   - no file pcmig writes (archive, runbook, run state, report, plan) may
//     be one of the files it reads (databases, topology, directory, estate)
//     or another file it writes: Distinct compares cleaned absolute paths
//     and, for files that exist, their identity (os.SameFile), so that
//     links and case-insensitive file systems do not hide a collision;
//   - paths that scripts and estates give stay inside the folders the
//     operator allowed (Confine);
//   - input files are read with a size limit (ReadFile, Open).
package fsguard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// File is a file pcmig reads or writes, with the role people know it by
// ("target database", "archive", "--report").
type File struct {
	Role string
	Path string
	// Wild marks a Path whose base name holds one '*' standing for any
	// text: the import journals of an archive, <archive>.import-*.json.
	Wild bool
}

// Abs is path made absolute and clean; "" stays "".
func Abs(path string) string {
	if path == "" {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// Same reports whether two paths name the same file: the same cleaned
// absolute path (compared without case on Windows and macOS, whose file
// systems ignore it by default), or, when both exist, the same file by
// identity (hard and symbolic links, other spellings).
func Same(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	a, b = Abs(a), Abs(b)
	if samePath(a, b) {
		return true
	}
	// Files not written yet, reached through a linked folder.
	if samePath(Resolve(a), Resolve(b)) {
		return true
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(sa, sb)
}

func samePath(a, b string) bool {
	return a == b || (caseInsensitive() && strings.EqualFold(a, b))
}

// matches reports whether path is f: the same file, or for a Wild f a
// file of its pattern in its folder (links followed).
func (f File) matches(path string) bool {
	if !f.Wild {
		return Same(path, f.Path)
	}
	if path == "" || f.Path == "" || !samePath(Resolve(filepath.Dir(Abs(path))), Resolve(filepath.Dir(Abs(f.Path)))) {
		return false
	}
	base, pat := filepath.Base(path), filepath.Base(f.Path)
	if caseInsensitive() {
		base, pat = strings.ToLower(base), strings.ToLower(pat)
	}
	prefix, suffix, _ := strings.Cut(pat, "*")
	return len(base) >= len(prefix)+len(suffix) && strings.HasPrefix(base, prefix) && strings.HasSuffix(base, suffix)
}

// collide reports whether a and b name one file; two patterns never do
// (their plain files are compared instead).
func collide(a, b File) bool {
	switch {
	case a.Wild && b.Wild:
		return false
	case a.Wild:
		return a.matches(b.Path)
	}
	return b.matches(a.Path)
}

func caseInsensitive() bool { return runtime.GOOS == "windows" || runtime.GOOS == "darwin" }

// ErrCollision is wrapped by the error Distinct returns.
var ErrCollision = errors.New("pcmig never writes over a file it reads, nor writes one file for two purposes")

// Distinct checks that no output is one of the inputs or another output,
// and names every collision: "archive /x/source.db is the source
// database". Empty paths are ignored.
func Distinct(outputs, inputs []File) error {
	var probs []string
	for i, o := range outputs {
		if o.Path == "" {
			continue
		}
		for _, in := range inputs {
			if collide(o, in) {
				probs = append(probs, fmt.Sprintf("%s %s is the %s", o.Role, o.Path, in.Role))
			}
		}
		for _, other := range outputs[:i] {
			if other.Path != "" && collide(o, other) {
				if other.Wild {
					probs = append(probs, fmt.Sprintf("%s %s is the %s", o.Role, o.Path, other.Role))
				} else if o.Wild {
					probs = append(probs, fmt.Sprintf("%s %s is the %s", other.Role, other.Path, o.Role))
				} else {
					probs = append(probs, fmt.Sprintf("%s %s is also the %s", o.Role, o.Path, other.Role))
				}
			}
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", strings.Join(probs, "; "), ErrCollision)
}

// ErrInputFolder is wrapped by the error Outside returns.
var ErrInputFolder = errors.New("pcmig writes nothing inside a folder it reads")

// Outside checks that no output is inside (or is) one of the folders
// pcmig reads whole, such as a pool's file store, whose every file a run
// copies: "archive /x/files/a.zip is inside the target file store
// /x/files". Links are followed as far as the paths exist; empty paths and
// patterns are ignored.
func Outside(outputs, folders []File) error {
	var probs []string
	for _, o := range outputs {
		if o.Path == "" || o.Wild {
			continue
		}
		real := Resolve(o.Path)
		for _, f := range folders {
			if f.Path != "" && Within(real, Resolve(f.Path)) {
				probs = append(probs, fmt.Sprintf("%s %s is inside the %s %s", o.Role, o.Path, f.Role, f.Path))
			}
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", strings.Join(probs, "; "), ErrInputFolder)
}

// Within reports whether path is dir or inside it, comparing cleaned
// absolute paths (without case where the file system ignores it).
func Within(path, dir string) bool {
	path, dir = Abs(path), Abs(dir)
	if caseInsensitive() {
		path, dir = strings.ToLower(path), strings.ToLower(dir)
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
