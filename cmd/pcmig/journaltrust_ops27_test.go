package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestImportRefusesAnUnsealedJournal: the import journal's seal is a
// checksum, not a signature, and a journal without one was read as an
// older pcmig's, trusted as it stood: one edited by hand with its
// checksum member removed had its rooms' starting points believed (a
// room's raised by 3: the import wrote that room's last 3 messages again,
// exit 0). Whether a pcmig before the seal wrote a journal cannot be told
// from the file (it has no version and everything in it can be edited),
// so a journal without a checksum is refused as an edited one is, naming
// the file and what to do, for import and verify alike, and nothing is
// written.
func TestImportRefusesAnUnsealedJournal(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "40")
	work := t.TempDir()
	arc := filepath.Join(work, "pchat.zip")
	if err := os.Rename(exportArchive(t, dir), arc); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(work, "target.db")
	if err := os.WriteFile(target, readFile(t, filepath.Join(dir, "target-2019.db")), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", arc)
	journals, _ := filepath.Glob(arc + ".import-*.json")
	if len(journals) != 1 {
		t.Fatalf("journals %v, want one", journals)
	}
	b := readFile(t, journals[0])
	// The checksum member out, and every room's start raised by 3.
	b = sealRE.ReplaceAll(b, []byte("{"))
	if bytes.HasPrefix(b, []byte(`{"checksum"`)) {
		t.Fatal("the checksum is still there")
	}
	raised := regexp.MustCompile(`"base_last_chat_id":(\d+)`).ReplaceAllFunc(b, func(m []byte) []byte {
		var v int
		for _, c := range m[len(`"base_last_chat_id":`):] {
			v = v*10 + int(c-'0')
		}
		return []byte(`"base_last_chat_id":` + strconv.Itoa(v+3))
	})
	if bytes.Equal(raised, b) {
		t.Fatal("no room's start was raised")
	}
	writeFile(t, journals[0], string(raised))
	db := openDB(t, target)
	before := queryInt(t, db, `SELECT COUNT(*) FROM tblChat`)
	db.Close()
	for _, args := range [][]string{
		{"import", "--db", "sqlite:" + target, "--file", arc},
		{"verify", "--source", "sqlite:" + filepath.Join(dir, "source-2015.db"), "--target", "sqlite:" + target, "--archive", arc},
	} {
		stdout, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("%s with a journal without checksum: exit %d, want %d\n%s%s", args[0], code, exitError, stdout, stderr)
		}
		mustContain(t, args[0], stderr, journals[0], "has no checksum", "remove it")
	}
	db = openDB(t, target)
	defer db.Close()
	if after := queryInt(t, db, `SELECT COUNT(*) FROM tblChat`); after != before {
		t.Errorf("the import wrote %d messages over a journal without checksum", after-before)
	}
}
