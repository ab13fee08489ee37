package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/proc"
)

// TestLedgerOfAnArchiveBeingWritten: an archive's temporary files
// (".NAME.partial-DIGITS", ".NAME.rooms-DIGITS") recorded by an ended
// process are removed by Sweep like an atomic write's; other forms are
// not, even when recorded. Forget drops this process's lines whose files
// are gone and removes an empty ledger. A file under the ledger's name
// that is not a ledger is not taken as one (IsOurs).
func TestLedgerOfAnArchiveBeingWritten(t *testing.T) {
	dir := t.TempDir()
	l := Ledger{Path: filepath.Join(dir, ".a.zip.pcmig-temporaries.jsonl")}
	files := map[string]bool{".a.zip.partial-12": true, ".a.zip.rooms-34": true, ".a.zip.partial-x": false, "a.zip.partial-5": false}
	var lines []byte
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, []byte(`{"file":"`+p+`","pid":999999999,"host":"`+proc.Host()+`"}`+"\n")...)
	}
	if err := os.WriteFile(l.Path, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	if !IsOurs(l.Path) {
		t.Fatal("a ledger is not taken as one")
	}
	if _, err := l.Sweep(); err != nil {
		t.Fatal(err)
	}
	for name, gone := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); os.IsNotExist(err) != gone {
			t.Errorf("%s: removed %v, want %v", name, os.IsNotExist(err), gone)
		}
	}
	tmp := filepath.Join(dir, ".a.zip.partial-77")
	if err := l.Record(tmp); err != nil {
		t.Fatal(err)
	}
	if err := l.Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.Path); !os.IsNotExist(err) {
		t.Errorf("the ledger is left after Forget of a file that is gone: %v", err)
	}
	theirs := filepath.Join(dir, "notes")
	if err := os.WriteFile(theirs, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if IsOurs(theirs) {
		t.Error("a file of notes is taken as a ledger")
	}
}
