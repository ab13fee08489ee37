package filestore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLedgerForgetsTheEntryOfAStoreThatNoLongerExists: a killed copy's
// entry names a store whose path no longer exists (the estate moved,
// renamed or deleted), and the rerun finds none of its files (the copy
// was killed before its first temporary file, or they were removed by
// hand). The rerun searched for them and they are absent: the entry
// leaves the ledger. Before, it stayed for good, so every later copy
// searched its whole target store for it and looked at the dead path
// again. The entry of another store that still exists stays until a
// copy into that store.
func TestLedgerForgetsTheEntryOfAStoreThatNoLongerExists(t *testing.T) {
	src, dst, other := t.TempDir(), t.TempDir(), t.TempDir()
	write(t, src, "r/report.docx", "report")
	ledgerPath := filepath.Join(t.TempDir(), "file-copies.json")
	dead := filepath.Join(t.TempDir(), "estate-before", "filestore-2019")
	l := ledger{path: ledgerPath}
	if err := l.write([]ledgerEntry{
		{Store: dead, Token: "0123456789abcdef"},
		{Store: storeKey(other), Token: "fedcba9876543210"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := CopyWith(t.Context(), src, dst, Options{Ledger: ledgerPath}); err != nil {
		t.Fatal(err)
	}
	es, err := l.read()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Store != storeKey(other) {
		t.Errorf("after a copy that searched for the dead store's files, the ledger holds %v; want the other store's entry only", es)
	}
	if _, err := CopyWith(t.Context(), src, other, Options{Ledger: ledgerPath}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ledgerPath); !os.IsNotExist(err) {
		es, _ := l.read()
		t.Errorf("the ledger is left after a copy into every store it named: %v", es)
	}
}
