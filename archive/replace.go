package archive

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotReplaceable is wrapped by the error CheckReplaceable returns for an
// existing file that is not a pcmig archive. It also wraps fs.ErrExist.
var ErrNotReplaceable = fmt.Errorf("%w and is not a pcmig archive", fs.ErrExist)

// CheckReplaceable reports whether an archive may be written over path:
// when nothing is there, or when the file there is a pcmig archive (a zip
// whose manifest names pcmig, whatever its format version or the state of
// its parts). Anything else (a database, a folder, any other file) is
// refused, so that a mistyped archive path can never destroy it. The
// file's content is never quoted.
func CheckReplaceable(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			return fmt.Errorf("archive %s: %w (a link to a missing file)", path, ErrNotReplaceable)
		}
		return nil
	case err != nil:
		return fmt.Errorf("archive %s: %w", path, err)
	case !st.Mode().IsRegular():
		return fmt.Errorf("archive %s: %w (it is a folder or a device)", path, ErrNotReplaceable)
	}
	if what, ok := identify(path, st.Size()); !ok {
		return fmt.Errorf("archive %s: %w (%s); pcmig replaces only its own archives: give another file name", path, ErrNotReplaceable, what)
	}
	return nil
}

// identify says whether the file is a pcmig archive, and if not, what it
// looks like.
func identify(path string, size int64) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "it cannot be read: " + err.Error(), false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return "it is an SQLite database", false
	case !bytes.HasPrefix(head, []byte("PK")):
		return "it is not a zip file", false
	}
	zr, err := zip.NewReader(f, size)
	if err != nil && zr == nil {
		return "it is not a readable zip file", false
	}
	for _, e := range zr.File {
		if e.Name != ManifestName {
			continue
		}
		if e.UncompressedSize64 > MaxManifestBytes {
			break
		}
		rc, err := e.Open()
		if err != nil {
			break
		}
		data, err := io.ReadAll(io.LimitReader(rc, MaxManifestBytes))
		rc.Close()
		var head struct {
			Tool string `json:"tool"`
		}
		if err == nil {
			// As the reader takes it: a byte order mark ignored.
			data, err = manifestText(data)
		}
		if err == nil && json.Unmarshal(data, &head) == nil && head.Tool == ToolName {
			return "", true
		}
		break
	}
	return "it is a zip file without a pcmig manifest", false
}
