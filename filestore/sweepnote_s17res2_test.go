package filestore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopySaysWhatItRemovedOfAKilledCopy: the rerun of a killed copy
// removes its temporary files and says so, as pcmig's other cleanups do
// ("Removed ..."): how many and from which store. Before, it removed them
// silently. A copy that removes nothing says nothing.
func TestCopySaysWhatItRemovedOfAKilledCopy(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write(t, src, "r/report.docx", "report")
	ledgerPath := filepath.Join(t.TempDir(), "file-copies.json")
	left := killedCopy(t, ledgerPath, dst)
	to, err := os.OpenRoot(dst)
	if err != nil {
		t.Fatal(err)
	}
	es, _ := ledger{path: ledgerPath}.read()
	f, second, err := createTemp(to, filepath.Join("r", "notes.txt"), es[0].Token)
	to.Close()
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	var notes []string
	if _, err := CopyWith(t.Context(), src, dst, Options{Ledger: ledgerPath, Note: func(s string) { notes = append(notes, s) }}); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 {
		t.Fatalf("notes %q; want one", notes)
	}
	for _, want := range []string{"Removed 2 temporary files", filepath.ToSlash(left), filepath.ToSlash(second), storeKey(dst), "stopped before it finished"} {
		if !strings.Contains(notes[0], want) {
			t.Errorf("note %q does not say %q", notes[0], want)
		}
	}
	notes = nil
	if _, err := CopyWith(t.Context(), src, dst, Options{Ledger: ledgerPath, Note: func(s string) { notes = append(notes, s) }}); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("a copy that removed nothing said %q", notes)
	}
}
