package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// manyFiles writes n files into src, a few to a folder as a pool's file
// store holds them, and returns their paths in the order of the walk.
func manyFiles(t *testing.T, src string, n int) []string {
	t.Helper()
	for i := range n {
		write(t, src, fmt.Sprintf("room%02d/%03d/file.txt", i/7, i), strings.Repeat(fmt.Sprint(i), i+1))
	}
	var rels []string
	if err := eachFile(src, func(rel string, _ fs.FileInfo) error {
		rels = append(rels, filepath.ToSlash(rel))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return rels
}

// targetFiles lists the regular files under dst, temporary ones included.
func targetFiles(t *testing.T, dst string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// Files are copied several at once (copyWorkers), but a copy stopped in
// the middle of a store of many files has put in place exactly the files
// before the one it stopped at, in the order of the walk and of progress,
// and left no temporary file: those made ready ahead are removed.
func TestCopyOfManyFilesStopsInOrder(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	rels := manyFiles(t, src, 4*copyWorkers+5)
	const at = copyWorkers + 3
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen []int64
	_, err := Copy(ctx, src, dst, false, func(done, total int64) {
		seen = append(seen, done)
		if done == at {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Copy = %v, want context.Canceled", err)
	}
	want := slices.Clone(rels[:at])
	slices.Sort(want)
	if got := targetFiles(t, dst); !slices.Equal(got, want) {
		t.Errorf("the target holds %d files %v,\nwant the first %d of the walk %v", len(got), got, at, want)
	}
	for i, d := range seen {
		if d != int64(i) {
			t.Fatalf("progress saw %v, want 0 to %d in order", seen, at)
		}
	}
	res, err := Copy(t.Context(), src, dst, false, nil)
	if err != nil || res.Copied != int64(len(rels)-at) || res.Kept != at || len(res.Missing) != 0 {
		t.Fatalf("Copy again = %+v, %v; want %d copied, %d kept", res, err, len(rels)-at, at)
	}
	for i, rel := range rels {
		b, err := os.ReadFile(filepath.Join(dst, rel))
		if err != nil || string(b) != strings.Repeat(fmt.Sprint(i), i+1) {
			t.Errorf("%s: %q, %v", rel, b, err)
		}
	}
}

// A file that cannot be copied stops the copy there, as one file at a
// time did: the files before it are in place, none after it, and no
// temporary file is left.
func TestCopyOfManyFilesStopsAtAFailure(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	rels := manyFiles(t, src, 4*copyWorkers+5)
	at := copyWorkers + 2
	// The failing file's folder is a file in the target.
	bad := filepath.Dir(rels[at])
	if filepath.Dir(rels[at+1]) == bad {
		t.Fatalf("test set-up: %s shares its folder with the next file", rels[at])
	}
	write(t, dst, bad, "not a folder")
	_, err := Copy(t.Context(), src, dst, false, nil)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("Copy = %v, want an error naming %s", err, bad)
	}
	want := append(slices.Clone(rels[:at]), bad)
	slices.Sort(want)
	if got := targetFiles(t, dst); !slices.Equal(got, want) {
		t.Errorf("the target holds %v,\nwant the %d files before %s and the blocking file", got, at, rels[at])
	}
}
