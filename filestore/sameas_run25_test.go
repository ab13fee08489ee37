package filestore

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestSameAsReusesItsBuffers: verify compares every linked file both
// file stores hold (2,464 in the large lab) with SameAs, which allocated
// two 64 KiB buffers per file: 320 MB to allocate, zero and collect, about
// 1 s of the reconcile's 5 s of CPU. 200 comparisons of small files now
// allocate a small fraction of one buffer each; the answers are unchanged
// (a file that differs in its last byte, past the first buffer, or in
// size, is not the same).
func TestSameAsReusesItsBuffers(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	const n = 200
	for i := 0; i < n; i++ {
		data := []byte(fmt.Sprintf("file %d of the lab's uploaded files\n", i))
		for _, dir := range []string{a, b} {
			if err := os.MkdirAll(filepath.Join(dir, "R", "F"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "R", "F", fmt.Sprintf("f%d.txt", i)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	big := make([]byte, 3*(64<<10)+5)
	for i := range big {
		big[i] = byte(i)
	}
	other := append([]byte(nil), big...)
	other[len(other)-1]++
	for name, pair := range map[string][2][]byte{"big.bin": {big, big}, "last.bin": {big, other}, "size.bin": {big, big[:len(big)-1]}} {
		if err := os.WriteFile(filepath.Join(a, "R", "F", name), pair[0], 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(b, "R", "F", name), pair[1], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sa, err := Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer sa.Close()
	sb, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	link := func(name string) string { return "ma-filelink:///fs01/pchat/R/F/" + name }
	for name, want := range map[string]bool{"big.bin": true, "last.bin": false, "size.bin": false, "f7.txt": true} {
		if got, err := sa.SameAs(sb, link(name)); err != nil || got != want {
			t.Errorf("SameAs %s: %v, %v; want %v", name, got, err, want)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		if same, err := sa.SameAs(sb, link(fmt.Sprintf("f%d.txt", i))); err != nil || !same {
			t.Fatalf("f%d.txt: %v, %v", i, same, err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 16<<10 {
		t.Errorf("SameAs of a small file allocates %d bytes, want under 16 KiB", per)
	}
}
