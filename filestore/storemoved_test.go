package filestore

import (
	"os"
	"path/filepath"
	"testing"
)

// killedCopy leaves what a copy into dst killed after creating its
// temporary file leaves: the ledger's entry for dst (under dst's path
// then) and the temporary file of r/report.docx. It returns the file's
// path relative to dst.
func killedCopy(t *testing.T, ledgerPath, dst string) string {
	t.Helper()
	to, err := os.OpenRoot(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	token, err := ledger{path: ledgerPath, store: storeKey(dst)}.begin(to)
	if err != nil {
		t.Fatal(err)
	}
	if err := to.MkdirAll("r", 0o755); err != nil {
		t.Fatal(err)
	}
	f, left, err := createTemp(to, filepath.Join("r", "report.docx"), token)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half a rep")
	f.Close()
	return left
}

// TestCopyIntoAStoreReachedByAnotherPathRemovesTheKilledCopysTemporaryFile:
// the ledger names a target store by the path it had when the copy began.
// The same store reached by another path on the rerun (the estate folder
// moved or renamed with its store inside, a linked folder, a mapped drive
// for the share) is still the store the killed copy wrote into: its
// temporary file, named with a token the ledger recorded, is removed, the
// ledger forgets the entry, and no file is copied twice. Before, the entry
// was matched by the absolute path only: the temporary file stayed in the
// target store for good, and the entry in the ledger.
func TestCopyIntoAStoreReachedByAnotherPathRemovesTheKilledCopysTemporaryFile(t *testing.T) {
	for _, how := range []string{"moved", "linked"} {
		t.Run(how, func(t *testing.T) {
			src, base := t.TempDir(), t.TempDir()
			write(t, src, "r/report.docx", "report")
			write(t, src, "r/notes.txt", "notes")
			state := filepath.Join(base, "estate", ".pcmig")
			if err := os.MkdirAll(state, 0o755); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(base, "estate", "filestore-2019")
			if err := os.MkdirAll(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			ledgerPath := filepath.Join(state, "file-copies.json")
			// The first copy put notes.txt in place before it was killed.
			if _, err := CopyWith(t.Context(), src, dst, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(dst, "r", "report.docx")); err != nil {
				t.Fatal(err)
			}
			left := killedCopy(t, ledgerPath, dst)

			now := dst
			switch how {
			case "moved":
				moved := filepath.Join(base, "estate-moved")
				if err := os.Rename(filepath.Join(base, "estate"), moved); err != nil {
					t.Fatal(err)
				}
				now, ledgerPath = filepath.Join(moved, "filestore-2019"), filepath.Join(moved, ".pcmig", "file-copies.json")
			case "linked":
				now = filepath.Join(base, "link")
				if err := os.Symlink(dst, now); err != nil {
					t.Skip(err)
				}
			}
			res, err := CopyWith(t.Context(), src, now, Options{Ledger: ledgerPath})
			if err != nil {
				t.Fatal(err)
			}
			if res.Copied != 1 || res.Kept != 1 || len(res.Missing) != 0 {
				t.Errorf("copied %d, kept %d, missing %v; want report.docx copied and notes.txt kept", res.Copied, res.Kept, res.Missing)
			}
			if _, err := os.Lstat(filepath.Join(now, left)); !os.IsNotExist(err) {
				t.Errorf("the killed copy's temporary file %s is still in the target store: %v", left, err)
			}
			if _, err := os.Stat(ledgerPath); !os.IsNotExist(err) {
				es, _ := ledger{path: ledgerPath}.read()
				t.Errorf("the ledger is left after the copy succeeded: %v", es)
			}
			if tot, err := Count(now); err != nil || tot.Files != 2 {
				t.Errorf("the target store holds %d files (%v), want the source's 2", tot.Files, err)
			}
		})
	}
}
