package fsguard

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Size limits of pcmig's inputs: far above any real file, far below what
// would exhaust memory.
const (
	MaxEstate       = 1 << 20   // an estate file
	MaxScript       = 16 << 20  // a Lua script
	MaxTopology     = 64 << 20  // Get-CsTopology -AsXml
	MaxDirectory    = 256 << 20 // a users CSV (a million users fit)
	MaxJournal      = 64 << 20  // pcmig's own journals and lock files
	MaxPoolSettings = 16 << 20  // a lab's pool-settings.json
)

// ErrTooLarge is wrapped by ReadFile's error for a file over its limit.
var ErrTooLarge = errors.New("file too large")

// ErrNotRegular is wrapped by ReadFile's error for a device, a pipe or a
// folder: /dev/zero and /dev/stdin are no estate, script or directory.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile reads a whole input file of the kind what ("estate", "topology
// document") up to limit bytes, through an io.LimitReader: a larger file,
// or one that never ends, is refused without reading more. Only regular
// files are read, and they are looked at before they are opened: opening a
// named pipe for reading blocks until something writes to it. Errors name
// the file and the limit, never its content.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s %s: %w (want a file)", what, path, ErrNotRegular)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s %s: %w (want a file)", what, path, ErrNotRegular)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("read %s %s: %w: %d bytes, and %s is at most %d", what, path, ErrTooLarge, st.Size(), withArticle(what), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, path, err)
	}
	if int64(len(b)) > limit {
		// A file whose size the system does not report (/proc) and that
		// goes on.
		return nil, fmt.Errorf("read %s %s: %w: over %d bytes, and %s is at most %d", what, path, ErrTooLarge, limit, withArticle(what), limit)
	}
	return b, nil
}

// withArticle puts "a" or "an" before a kind of file: "an estate".
func withArticle(what string) string {
	if what != "" && strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}
