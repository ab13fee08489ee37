package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/filelock"
)

// TestLabInitRemovesAKilledInitsFolder: lab init builds the estate in a
// temporary folder (.lab-init-N) inside the estate folder and renames the
// files into place; killed while building (kill -9 during a large
// --overwrite), it left that folder, which no later lab init removed
// (17 MB for 400,000 messages, then one more per kill). The next lab init
// now removes such a folder and says so, and leaves alone one that
// another lab init is building in (its lock held).
func TestLabInitRemovesAKilledInitsFolder(t *testing.T) {
	t.Parallel()
	dir := filepath.Dir(filepath.Join(labEstate(t, "--messages", "20"), "estate.lua"))
	killed := filepath.Join(dir, ".lab-init-1532168890")
	older := filepath.Join(dir, ".lab-init-77") // an older pcmig's: no lock file
	building := filepath.Join(dir, ".lab-init-99")
	for _, d := range []string{killed, older, building} {
		if err := os.MkdirAll(filepath.Join(d, "filestore-2015"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(d, "source-2015.db"), "half a database")
	}
	writeFile(t, filepath.Join(killed, ".building"), "")
	held, _, err := filelock.Acquire(filepath.Join(building, ".building"), func([]byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	defer held.Abandon()

	stdout, _ := mustRun(t, 0, "lab", "init", "--overwrite", "--messages", "20", dir)
	mustContain(t, "lab init", stdout, "Removed .lab-init-1532168890, .lab-init-77 in "+dir+": the temporary folders of a lab init stopped before it finished.")
	for _, d := range []string{killed, older} {
		if _, err := os.Lstat(d); err == nil {
			t.Errorf("%s is still there", d)
		}
	}
	if _, err := os.Lstat(filepath.Join(building, "source-2015.db")); err != nil {
		t.Errorf("the folder another lab init is building in was touched: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".lab-init-") && e.Name() != ".lab-init-99" {
			t.Errorf("lab init left %s", e.Name())
		}
	}
	mustRun(t, 0, "doctor", "--estate", filepath.Join(dir, "estate.lua"))
}
