package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestImportJournalPerTargetDatabase: a target and a rehearsal copy of it
// (one pool ID) that import one archive keep one import journal each. They
// shared one file beside the archive, named by the archive and the pool ID,
// and the last import owned it: importing into the copy, then into the
// target again, lost the target's journal (the import warned of "another
// database" and read every room's history instead of resuming from its
// checkpoints), and verify of the target would not use a journal at all.
// Now the copy's import leaves the target's journal as it was, the
// target's next import resumes from it, and verify of each database uses
// its own.
func TestImportJournalPerTargetDatabase(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "600")
	src := filepath.Join(est, "source-2015.db")
	target := filepath.Join(est, "target-2019.db")
	rehearsal := filepath.Join(est, "rehearsal.db")
	labtest.CopyFile(t, target, rehearsal)
	zip := filepath.Join(est, "archive", "pchat-2015.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)

	mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", zip)
	first, _ := filepath.Glob(zip + ".import-*.json")
	if len(first) != 1 {
		t.Fatalf("import journals after the target's import: %v, want one", first)
	}
	own := first[0]
	before := readFile(t, own)

	out, _ := mustRun(t, 0, "import", "--db", "sqlite:"+rehearsal, "--file", zip)
	if strings.Contains(out, "another database") {
		t.Errorf("the copy's import was told of the target's journal, though it keeps its own:\n%s", out)
	}
	journals, _ := filepath.Glob(zip + ".import-*.json")
	copyJournal := ""
	for _, j := range journals {
		if j != own {
			copyJournal = j
		}
	}
	if len(journals) != 2 || !slices.Contains(journals, own) {
		t.Errorf("import journals after the copy's import: %v, want the target's %s and the copy's", journals, own)
	}
	if after := readFile(t, own); !bytes.Equal(after, before) {
		t.Errorf("the copy's import rewrote the target's journal %s", own)
	}

	rep := filepath.Join(t.TempDir(), "again.json")
	out, _ = mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", zip, "--report", rep)
	if strings.Contains(out, "another database") {
		t.Errorf("the target's import after the copy's took its journal for another database's:\n%s", out)
	}
	var res struct {
		Resumed bool `json:"resumed"`
	}
	decodeJSON(t, readFile(t, rep), &res)
	if !res.Resumed {
		t.Errorf("the target's import after the copy's did not resume from its journal (resumed false)")
	}

	var ver struct {
		Sources []struct {
			Journal string `json:"import_journal"`
		} `json:"sources"`
	}
	for _, c := range []struct{ db, journal string }{{target, own}, {rehearsal, copyJournal}} {
		stdout, _ := mustRun(t, 0, "verify", "--source", "sqlite:"+src, "--target", "sqlite:"+c.db, "--archive", zip)
		mustContain(t, "verify of "+c.db, stdout, "600 of 600 messages present", "EQUAL: ")
		if strings.Contains(stdout, "not used") {
			t.Errorf("verify of %s did not use its journal:\n%s", c.db, stdout)
		}
		stdout, _ = mustRun(t, 0, "verify", "--json", "--source", "sqlite:"+src, "--target", "sqlite:"+c.db, "--archive", zip)
		decodeJSON(t, []byte(stdout), &ver)
		if len(ver.Sources) != 1 || ver.Sources[0].Journal == "" || ver.Sources[0].Journal != c.journal {
			t.Errorf("verify of %s: sources %+v, want its journal %s", c.db, ver.Sources, c.journal)
		}
	}
}
