package archive

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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

// diskFull passes writes on to w until limit bytes have been written, then
// fails each as a full disk does (ENOSPC, wrapped as *os.File wraps it).
type diskFull struct {
	w     io.Writer
	limit int64
	name  string
}

func (d *diskFull) Write(p []byte) (int, error) {
	if int64(len(p)) > d.limit {
		n, _ := d.w.Write(p[:d.limit])
		d.limit = 0
		return n, &os.PathError{Op: "write", Path: d.name, Err: syscall.ENOSPC}
	}
	d.limit -= int64(len(p))
	return d.w.Write(p)
}

// A disk that fills up while the sink writes a messages part: the export
// fails with the disk's error (named as such, under the archive's path),
// nothing reaches the archive's path, Abort ends the sink's goroutine and
// removes the temporary files.
func TestMessagesPartsDiskFullIsReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.zip")
	w, err := Create(path, WriterOptions{ChunkMessages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	// Before any part: the sink does not exist yet, nothing else writes.
	w.out.w = &diskFull{w: w.f, limit: 3 << 20, name: w.f.Name()}
	c := newBenchCorpus()
	for i := 0; i < benchRooms; i++ {
		if err := w.AddRoom(benchRoom(i)); err != nil {
			t.Fatal(err)
		}
	}
	var failed error
	var sink *zipSink
	for i := 0; i < benchMessages && failed == nil; i++ {
		failed = w.AddMessage(c.message(i))
		if sink == nil {
			sink = w.sink
		}
	}
	if failed == nil {
		failed = w.Commit(Manifest{Level: LevelAll, Created: time.Unix(0, 0)})
	}
	if failed == nil || !errors.Is(failed, syscall.ENOSPC) ||
		!strings.Contains(failed.Error(), "write archive "+path+": ") || !strings.Contains(failed.Error(), syscall.ENOSPC.Error()) {
		t.Fatalf("a full disk under the messages parts: %v, want the write's error under the archive's path", failed)
	}
	if sink == nil {
		t.Fatal("the messages parts were not written by a zipSink")
	}
	if err := w.AddMessage(c.message(benchMessages - 1)); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("AddMessage after the failure: %v, want the sticky error", err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if !sinkEnded(sink) {
		t.Error("the sink's goroutine still runs after Abort")
	}
	if diff := cmp.Diff([]string(nil), dirNames(t, dir)); diff != "" {
		t.Errorf("after Abort, directory mismatch (-want +got):\n%s", diff)
	}
}

// Abort in the middle of a messages part (Ctrl-C, an error in the source)
// ends the sink's goroutine, writes nothing more and leaves no file.
func TestAbortMidPartEndsTheSink(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.zip")
	w, err := Create(path, WriterOptions{ChunkMessages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	c := newBenchCorpus()
	for i := 0; i < 30; i++ {
		if err := w.AddRoom(benchRoom(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2500; i++ {
		if err := w.AddMessage(c.message(i)); err != nil {
			t.Fatal(err)
		}
	}
	sink := w.sink
	if sink == nil {
		t.Fatal("the messages parts are not written by a zipSink")
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if !sinkEnded(sink) {
		t.Error("the sink's goroutine still runs after Abort")
	}
	if err := sink.failure(); err != nil {
		t.Errorf("the abandoned sink failed: %v", err)
	}
	if err := w.AddMessage(c.message(2500)); err == nil {
		t.Error("AddMessage after Abort succeeded")
	}
	if diff := cmp.Diff([]string(nil), dirNames(t, dir)); diff != "" {
		t.Errorf("after Abort, directory mismatch (-want +got):\n%s", diff)
	}
}

// sinkEnded reports whether the sink's goroutine has returned.
func sinkEnded(s *zipSink) bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}
