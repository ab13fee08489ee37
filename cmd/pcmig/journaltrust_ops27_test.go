package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportJournalOfACollidingArchive: two exports whose manifests agree
// on creation time, source pool and counts (one built from the other by
// hand, a part's message changed and its checksum put in the manifest)
// are two archives. The import journal tied itself to its archive by
// those alone, so the second archive, copied over the first after an
// import, was taken for the first: the journal said every room's
// messages were in, the changed message never went in, and the import
// said nothing (exit 0, no warning). Now the journal records the
// archive's ID (every part's checksum): the second archive's import says
// the journal belongs to another export and looks for each room's
// messages in its history, so the changed message goes in.
func TestImportJournalOfACollidingArchive(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "40")
	work := t.TempDir()
	first := filepath.Join(work, "pchat.zip")
	if err := os.Rename(exportArchive(t, dir), first); err != nil {
		t.Fatal(err)
	}
	const marker = "ops27 collision marker"
	n := 0
	second := editArchive(t, first, func(name string, b []byte) []byte {
		if !strings.HasPrefix(name, "messages/") || n > 0 {
			return b
		}
		re := regexp.MustCompile(`"content":"[^"\\]*"`)
		loc := re.FindIndex(b)
		if loc == nil {
			return b
		}
		n++
		return append(append(append([]byte(nil), b[:loc[0]]...), `"content":"`+marker+`"`...), b[loc[1]:]...)
	})
	if n != 1 {
		t.Fatal("no message was changed")
	}
	target := filepath.Join(work, "target.db")
	if err := os.WriteFile(target, readFile(t, filepath.Join(dir, "target-2019.db")), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", first)
	// The second archive in the first's place.
	if err := os.WriteFile(first, readFile(t, second), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCmd(t, "import", "--db", "sqlite:"+target, "--file", first)
	if code != 0 {
		t.Fatalf("import of the second archive: exit %d\n%s%s", code, stdout, stderr)
	}
	mustContain(t, "import of the second archive", stdout+stderr, "belongs to an earlier export of the same file name", "whose parts differ from this one's")
	db := openDB(t, target)
	defer db.Close()
	if got := queryInt(t, db, `SELECT COUNT(*) FROM tblChat WHERE content = ?`, marker); got != 1 {
		t.Errorf("the second archive's changed message is in the target %d times, want once\n%s%s", got, stdout, stderr)
	}
}
