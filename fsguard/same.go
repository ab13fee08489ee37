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
	if a == b || (caseInsensitive() && strings.EqualFold(a, b)) {
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
			if Same(o.Path, in.Path) {
				probs = append(probs, fmt.Sprintf("%s %s is the %s", o.Role, o.Path, in.Role))
			}
		}
		for _, other := range outputs[:i] {
			if Same(o.Path, other.Path) {
				probs = append(probs, fmt.Sprintf("%s %s is also the %s", o.Role, o.Path, other.Role))
			}
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", strings.Join(probs, "; "), ErrCollision)
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
