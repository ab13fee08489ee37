package atomicfile

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestWriteRecordedLeavesNothingAfterAKill: a write killed once its
// temporary file exists (a real kill of the writing process) has the file
// recorded in the ledger beside the target; the next write of the target,
// by another process, removes it, says so, and leaves neither the ledger
// nor any temporary file. A file under the ledger's name that is not a
// ledger is left alone and the write still happens.
func TestWriteRecordedLeavesNothingAfterAKill(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("an ended process is told apart here on Linux")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.zip.import-0123.json")
	l, ok := BesideLedger(path)
	if !ok {
		t.Fatal("no ledger beside a new file")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killEnv+"=save", killEnv+"_PATH="+path)
	if err := cmd.Run(); err == nil {
		t.Fatal("the killed write succeeded")
	}
	b, err := os.ReadFile(l.Path)
	if err != nil {
		t.Fatalf("the killed write recorded nothing: %v", err)
	}
	var e ledgerLine
	if err := json.Unmarshal(bytes.TrimSpace(b), &e); err != nil || filepath.Dir(e.File) != dir || !IsTemp(filepath.Base(e.File)) {
		t.Fatalf("ledger %q, %v; want the temporary file's line", b, err)
	}
	if _, err := os.Lstat(e.File); err != nil {
		t.Fatalf("the kill left no temporary file: %v", err)
	}
	removed, err := WriteRecorded(path, []byte("two"))
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != e.File {
		t.Errorf("removed %v, want %s", removed, e.File)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, d := range ents {
		names = append(names, d.Name())
	}
	if len(names) != 1 || names[0] != filepath.Base(path) {
		t.Errorf("the folder holds %v; want the file alone", names)
	}
	if got, _ := os.ReadFile(path); string(got) != "two" {
		t.Errorf("file %q, want two", got)
	}

	if err := os.WriteFile(l.Path, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRecorded(path, []byte("three")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(l.Path); !strings.HasPrefix(string(got), "my notes") || strings.Contains(string(got), "pid") {
		t.Errorf("a file of notes under the ledger's name became %q", got)
	}
}
