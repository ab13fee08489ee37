package labtest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestCopyFile(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	want := bytes.Repeat([]byte{0, 1, 2, 0xff}, 100_000) // more than one io.Copy buffer
	if err := os.WriteFile(from, want, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, []byte("old, longer than nothing"), 0o644); err != nil {
		t.Fatal(err)
	}
	CopyFile(t, from, to)
	if got, err := os.ReadFile(to); err != nil || !bytes.Equal(got, want) {
		t.Errorf("copy holds %d bytes (err %v), want the %d of the original", len(got), err, len(want))
	}
}
