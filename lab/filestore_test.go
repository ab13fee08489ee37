package lab_test

import (
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/inventory"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// The lab's 2015 file store holds a file for every link its messages carry,
// and the 2019 one is empty.
func TestLabFileStores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := lab.Init(t.Context(), dir, lab.Options{Messages: 2000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inv, err := inventory.Take(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.CheckFiles(filepath.Join(dir, "filestore-2015")); err != nil {
		t.Fatal(err)
	}
	if len(inv.Files.Links) == 0 || inv.Files.Missing != 0 {
		t.Errorf("2015 file store: %d links, %d missing; want links and none missing", len(inv.Files.Links), inv.Files.Missing)
	}
	if err := inv.CheckFiles(filepath.Join(dir, "filestore-2019")); err != nil {
		t.Fatal(err)
	}
	if inv.Files.Missing != len(inv.Files.Links) {
		t.Errorf("2019 file store: %d of %d links found, want none", len(inv.Files.Links)-inv.Files.Missing, len(inv.Files.Links))
	}
}
