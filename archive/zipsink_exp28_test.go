package archive

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The messages parts are written by the zipSink's goroutine: a write that
// fails there (the file closed under the Writer here, as a disk gone
// would) is still the Writer's error, at a later message or at Commit,
// and the archive is not committed.
func TestMessagesPartsWriteFailureIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.zip")
	w, err := Create(path, WriterOptions{ChunkMessages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	c := newBenchCorpus()
	for i := 0; i < 30; i++ {
		if err := w.AddRoom(benchRoom(i)); err != nil {
			t.Fatal(err)
		}
	}
	var failed error
	for i := 0; i < 30_000 && failed == nil; i++ {
		if i == 5000 {
			w.f.Close()
		}
		failed = w.AddMessage(c.message(i))
	}
	if failed == nil {
		failed = w.Commit(Manifest{Level: LevelAll, Created: time.Unix(0, 0)})
	}
	if failed == nil || !strings.Contains(failed.Error(), "write archive") || !errors.Is(failed, os.ErrClosed) {
		t.Fatalf("writing to a closed file: %v, want the write's error", failed)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the archive was committed: %v", err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".a.zip.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
