package filestore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMovedEstateWithTwoStoresKeepsTheSecondStoresEntry: an estate with
// two target file stores inside its folder; a copy into the second was
// killed with a temporary file there, and the estate folder was moved.
// A fresh run copies into the first store first: the second store's
// entry names a path that no longer exists, yet its store does, moved
// with the estate, and was not searched; the copy into it must still
// remove the killed copy's file. Before, the first copy dropped the entry
// as the entry of a store that no longer exists, and the file stayed in
// the second store for good.
//
// A second store deleted before the move is gone: the first copy forgets
// its entry, as the entry of any store that no longer exists.
func TestMovedEstateWithTwoStoresKeepsTheSecondStoresEntry(t *testing.T) {
	for _, deleted := range []bool{false, true} {
		t.Run(map[bool]string{false: "moved", true: "deleted"}[deleted], func(t *testing.T) {
			movedEstateWithTwoStores(t, deleted)
		})
	}
}

func movedEstateWithTwoStores(t *testing.T, deleted bool) {
	src, base := t.TempDir(), t.TempDir()
	write(t, src, "r/report.docx", "report")
	estate := filepath.Join(base, "estate")
	state := filepath.Join(estate, ".pcmig")
	first, second := filepath.Join(estate, "filestore-a"), filepath.Join(estate, "filestore-b")
	for _, d := range []string{state, first, second} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ledgerPath := filepath.Join(state, "file-copies.json")
	if _, err := CopyWith(t.Context(), src, first, Options{Ledger: ledgerPath}); err != nil {
		t.Fatal(err)
	}
	left := killedCopy(t, ledgerPath, second)
	if deleted {
		if err := os.RemoveAll(second); err != nil {
			t.Fatal(err)
		}
	}

	moved := filepath.Join(base, "estate-moved")
	if err := os.Rename(estate, moved); err != nil {
		t.Fatal(err)
	}
	ledgerPath = filepath.Join(moved, ".pcmig", "file-copies.json")
	first, second = filepath.Join(moved, "filestore-a"), filepath.Join(moved, "filestore-b")
	if _, err := CopyWith(t.Context(), src, first, Options{Ledger: ledgerPath}); err != nil {
		t.Fatal(err)
	}
	if deleted {
		if _, err := os.Stat(ledgerPath); !os.IsNotExist(err) {
			es, _ := ledger{path: ledgerPath}.read()
			t.Errorf("the deleted store's entry is kept: %v", es)
		}
		return
	}
	if _, err := CopyWith(t.Context(), src, second, Options{Ledger: ledgerPath}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(second, left)); !os.IsNotExist(err) {
		t.Errorf("the killed copy's temporary file %s is still in the second store: %v", left, err)
	}
	if _, err := os.Stat(ledgerPath); !os.IsNotExist(err) {
		es, _ := ledger{path: ledgerPath}.read()
		t.Errorf("the ledger is left after a copy into each store: %v", es)
	}
}
