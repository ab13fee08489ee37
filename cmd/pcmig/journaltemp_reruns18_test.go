package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestImportSaysItRemovedAKilledJournalSave: an import killed while it
// saved its journal left the save's temporary file (.NAME.tmp-DIGITS
// beside the journal), recorded in the ledger beside the journal. The
// next import's first save removes it and says so, as pcmig's other
// cleanups do (Removed FILE, the temporary file of ...). Before, it was
// removed without a word.
func TestImportSaysItRemovedAKilledJournalSave(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	out := t.TempDir()
	archive, target := filepath.Join(out, "a.zip"), filepath.Join(dir, "target-2019.db")
	backup := filepath.Join(out, "target-before.db")
	labtest.CopyFile(t, target, backup)
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--file", archive)
	mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", archive)
	journals, _ := filepath.Glob(archive + ".import-*.json")
	if len(journals) != 1 {
		t.Fatalf("journals %v; want one", journals)
	}
	j := journals[0]
	left := filepath.Join(out, "."+filepath.Base(j)+".tmp-4242")
	writeFile(t, left, `{"archive":`)
	host, _ := os.Hostname()
	writeFile(t, filepath.Join(out, "."+filepath.Base(j)+".pcmig-temporaries.jsonl"),
		`{"file":`+strconv.Quote(left)+`,"pid":999999999,"host":`+strconv.Quote(host)+"}\n")
	// The rerun into the target as it was saves the journal again.
	labtest.CopyFile(t, backup, target)
	_, stderr := mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", archive)
	mustContain(t, "the rerun's stderr", stderr, "Removed "+left+", the temporary file of an import that was stopped while it saved its journal.")
	if _, err := os.Lstat(left); !os.IsNotExist(err) {
		t.Errorf("the killed save's temporary file is still there: %v", err)
	}
}
