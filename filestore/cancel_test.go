package filestore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// laterCtx is a context that is done once Err has been asked after times.
type laterCtx struct {
	context.Context
	after int64
	asked atomic.Int64
}

func (c *laterCtx) Err() error {
	if c.asked.Add(1) > c.after {
		return context.Canceled
	}
	return nil
}

// A cancelled context stops the copy of a large file between chunks: the
// target has neither the file nor its temporary file, and Copy returns
// the context's error. A copy run again completes it.
func TestCopyStopsWithinALargeFile(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	big := strings.Repeat("0123456789abcdef", 5*copyChunk/16) // 5 chunks
	write(t, src, "room/big.bin", big)
	// Asked before the file, then before each chunk: done at the third chunk.
	ctx := &laterCtx{Context: context.Background(), after: 3}
	_, err := Copy(ctx, src, dst, false, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Copy = %v, want context.Canceled", err)
	}
	if ctx.asked.Load() > 4 {
		t.Errorf("the context was asked %d times; the copy went on after it was done", ctx.asked.Load())
	}
	entries, _ := os.ReadDir(filepath.Join(dst, "room"))
	if len(entries) != 0 {
		t.Errorf("a stopped copy left %d entries in the target: %v", len(entries), entries)
	}
	res, err := Copy(t.Context(), src, dst, false, nil)
	if err != nil || res.Copied != 1 || len(res.Missing) != 0 {
		t.Fatalf("Copy again = %+v, %v", res, err)
	}
	if got, err := os.ReadFile(filepath.Join(dst, "room", "big.bin")); err != nil || string(got) != big {
		t.Errorf("the copied file differs (%d bytes, %v)", len(got), err)
	}
}

// A context done before a file stops the copy before it: nothing is
// written and progress does not count it.
func TestCopyStopsBetweenFiles(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	for _, n := range []string{"a", "b", "c", "d"} {
		write(t, src, n, n)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen []int64
	_, err := Copy(ctx, src, dst, false, func(done, total int64) {
		seen = append(seen, done)
		if done == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Copy = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dst); len(entries) != 2 {
		t.Errorf("the target holds %d files after a stop at 2 of 4", len(entries))
	}
	if len(seen) != 3 || seen[2] != 2 {
		t.Errorf("progress saw %v, want [0 1 2]", seen)
	}
}
