package importer_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
)

// TestJournalSaveKilledLeavesNoTemporaryFile: an import killed while it
// saved its journal left the save's temporary file (.NAME.tmp-DIGITS
// beside the journal), recorded in the ledger beside the journal; the next
// import's save removes it and leaves no ledger. Before, journal saves
// were not recorded, and the file stayed for good.
func TestJournalSaveKilledLeavesNoTemporaryFile(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{})
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	journals, _ := filepath.Glob(e.archive + ".import-*.json")
	if len(journals) != 1 {
		t.Fatalf("journals %v; want one", journals)
	}
	j := journals[0]
	dir, name := filepath.Dir(j), filepath.Base(j)
	if _, err := os.Stat(filepath.Join(dir, "."+name+".pcmig-temporaries.jsonl")); !os.IsNotExist(err) {
		t.Fatalf("a ledger is left beside the journal after the import: %v", err)
	}
	// What the kill left: the save's temporary file, recorded by the
	// killed (ended) process.
	left := filepath.Join(dir, "."+name+".tmp-12345")
	if err := os.WriteFile(left, []byte(`{"archive":`), 0o644); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	line := `{"file":` + strconv.Quote(left) + `,"pid":999999999,"host":` + strconv.Quote(host) + "}\n"
	if err := os.WriteFile(filepath.Join(dir, "."+name+".pcmig-temporaries.jsonl"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	// The rerun into the restored target saves the journal again.
	labtest.CopyFile(t, filepath.Join(template, "target-2019.db"), e.target)
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(left); !os.IsNotExist(err) {
		t.Errorf("the killed save's temporary file %s is still there: %v", left, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "."+name+".pcmig-temporaries.jsonl")); !os.IsNotExist(err) {
		t.Errorf("the ledger beside the journal is left: %v", err)
	}
}
