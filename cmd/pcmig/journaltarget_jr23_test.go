package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// TestImportJournalOfAnotherDatabaseNotUsedAfterTheImport: a target and a
// rehearsal copy of it (one pool ID) import one archive. An earlier pcmig
// kept one import journal beside it for both (by the archive and the pool
// ID), which recorded the last import's database. The
// target served another pool's users before the migration (their
// categories and rooms, some of the same names), the copy was taken before
// that: the two imports gave the archive's rooms other node IDs and chat
// IDs. verify of the target read the copy's journal (FindRecord did not
// compare the database it records) and reported 375 differences that are
// not there; import.record gave the copy's outcomes to a script run on
// the target. The journal is now used only for the database it records:
// verify says it is another's and matches by GUID and name (EQUAL), and
// import.record says "another database"; the copy keeps its record.
func TestImportJournalOfAnotherDatabaseNotUsedAfterTheImport(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "600")
	other := labEstate(t, "--messages", "100", "--seed", "2", "--categories", "2", "--rooms", "3")
	src := filepath.Join(est, "source-2015.db")
	target := filepath.Join(est, "target-2019.db")
	rehearsal := filepath.Join(est, "rehearsal.db")
	labtest.CopyFile(t, target, rehearsal)
	zipB := filepath.Join(other, "b.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(other, "source-2015.db"), "--file", zipB)
	mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", zipB)

	zip := filepath.Join(est, "archive", "pchat-2015.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
	mustRun(t, 0, "import", "--db", "sqlite:"+target, "--file", zip)
	// Each database keeps a journal of its own now: the copy's, as an
	// earlier pcmig left it, is the one both shared, and the target's is gone.
	own, _ := filepath.Glob(zip + ".import-*.json")
	if len(own) != 1 {
		t.Fatalf("import journals %v after the target's import, want one", own)
	}
	if err := os.Remove(own[0]); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "import", "--db", "sqlite:"+rehearsal, "--file", zip)
	journals := []string{asLegacyJournal(t, zip, rehearsal)}

	stdout, _, code := runCmd(t, "verify", "--source", "sqlite:"+src, "--target", "sqlite:"+target, "--archive", zip)
	if code != 0 {
		t.Errorf("verify of the target with the copy's journal beside the archive: exit %d, want 0 (EQUAL)\n%s", code, stdout)
	}
	mustContain(t, "verify of the target", stdout, "600 of 600 messages present", "EQUAL: ",
		"note: source: the import journal "+journals[0]+" records an import of "+zip+" into another database with this pool ID",
		"not this target: it is not used")
	var res struct {
		Sources []struct {
			Journal string `json:"import_journal"`
		} `json:"sources"`
	}
	stdout, _ = mustRun(t, 0, "verify", "--json", "--source", "sqlite:"+src, "--target", "sqlite:"+rehearsal, "--archive", zip)
	decodeJSON(t, []byte(stdout), &res)
	if len(res.Sources) != 1 || res.Sources[0].Journal != journals[0] {
		t.Errorf("verify of the copy, whose journal it is: sources %+v, want its journal %s", res.Sources, journals[0])
	}

	// import.record in a script run on each database's estate.
	script := filepath.Join(t.TempDir(), "record.lua")
	writeFile(t, script, `local import = require("import")
step("record", function()
  local rec, why = import.record("target")
  if rec then print("record: " .. #rec.categories .. " categories") else print("no record: " .. tostring(why)) end
end)
`)
	lua := string(readFile(t, filepath.Join(est, "estate.lua")))
	for _, r := range []struct{ db, state string }{{"target-2019.db", ".pcmig"}, {"rehearsal.db", ".pcmig-rehearsal"}} {
		e := strings.Replace(lua, `db = "sqlite:target-2019.db"`, `db = "sqlite:`+r.db+`"`, 1)
		e = strings.Replace(e, `state = ".pcmig"`, `state = "`+r.state+`"`, 1)
		if !strings.Contains(e, r.db) || !strings.Contains(e, r.state) {
			t.Fatal("the lab estate does not name its target database and state folder as this test expects")
		}
		file := filepath.Join(est, strings.TrimSuffix(r.db, ".db")+".lua")
		if err := os.WriteFile(file, []byte(e), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, _ := mustRun(t, 0, "run", script, "--estate", file)
		want := "record: 6 categories"
		if r.db == "target-2019.db" {
			want = "no record: another database"
		}
		mustContain(t, "import.record on "+r.db, stdout, want)
	}
}

// TestImportJournalOfAnEstateCopiedWhole: an estate folder copied (or
// moved) whole, its archive, the import journal beside it and its target
// database together, keeps the journal: it records the database by its
// path from the journal's folder as well. It was taken for another
// database (the journal recorded only the absolute path): a re-import in
// the copy warned and read every room's history, and verify would not use
// the journal. A database in another folder is still another.
func TestImportJournalOfAnEstateCopiedWhole(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "600")
	zip := filepath.Join(est, "archive", "pchat-2015.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", zip)
	mustRun(t, 0, "import", "--db", "sqlite:"+filepath.Join(est, "target-2019.db"), "--file", zip)
	moved := filepath.Join(t.TempDir(), "moved")
	copyDir(t, est, moved)
	mzip := filepath.Join(moved, "archive", "pchat-2015.zip")
	journals, _ := filepath.Glob(mzip + ".import-*.json")
	if len(journals) != 1 {
		t.Fatalf("journals %v in the copy, want one", journals)
	}
	var res struct {
		Sources []struct {
			Journal string `json:"import_journal"`
		} `json:"sources"`
	}
	stdout, _ := mustRun(t, 0, "verify", "--json", "--source", "sqlite:"+filepath.Join(moved, "source-2015.db"),
		"--target", "sqlite:"+filepath.Join(moved, "target-2019.db"), "--archive", mzip)
	decodeJSON(t, []byte(stdout), &res)
	if len(res.Sources) != 1 || res.Sources[0].Journal != journals[0] {
		t.Errorf("verify in the copied estate: sources %+v, want its journal %s", res.Sources, journals[0])
	}
	out, _ := mustRun(t, 0, "import", "--db", "sqlite:"+filepath.Join(moved, "target-2019.db"), "--file", mzip)
	if strings.Contains(out, "another database") {
		t.Errorf("the import in the copied estate takes its journal for another database's:\n%s", out)
	}
	// The copy's database moved out of the estate: another database, which
	// has no journal of its own (it does not take the estate's: each
	// room's history is read).
	away := filepath.Join(t.TempDir(), "target-2019.db")
	labtest.CopyFile(t, filepath.Join(moved, "target-2019.db"), away)
	out, _ = mustRun(t, 0, "import", "--db", "sqlite:"+away, "--file", mzip)
	mustContain(t, "import of a database in another folder", out, "every message was compared")
}

// asLegacyJournal moves the import journal of the archive into the SQLite
// database db to the name pcmig gave it before it kept one journal per
// database: by the archive and the pool ID only, shared by every database
// with that pool ID (<archive>.import-<first 6 bytes of the pool ID's
// SHA-256, in hex>.json). It returns that name.
func asLegacyJournal(t *testing.T, archivePath, db string) string {
	t.Helper()
	before, _ := filepath.Glob(archivePath + ".import-*.json")
	s, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + db, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := s.PoolID(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(pool))
	legacy := archivePath + ".import-" + hex.EncodeToString(sum[:6]) + ".json"
	if len(before) != 1 {
		t.Fatalf("import journals %v, want the one of %s", before, db)
	}
	if err := os.Rename(before[0], legacy); err != nil {
		t.Fatal(err)
	}
	return legacy
}
