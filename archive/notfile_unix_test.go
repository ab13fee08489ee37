//go:build unix

package archive

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcmig/pcmig/fsguard"
)

// TestOpenRefusesWhatIsNotAFile: an archive path that is a named pipe is
// refused without being opened (an open for reading blocks until a writer
// comes, and pcmig import or inspect hung there, deaf to SIGTERM), and a
// folder is named a folder, not "a zip file truncated or corrupt".
func TestOpenRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "pipe.zip")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no named pipe: %v", err)
	}
	folder := filepath.Join(dir, "folder.zip")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{pipe, folder} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				r, err := Open(path)
				if err == nil {
					r.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, fsguard.ErrNotRegular) || strings.Contains(err.Error(), "truncated") {
					t.Fatalf("Open() error = %v, want one saying it is not a regular file", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Open blocked on a named pipe")
			}
		})
	}
}
