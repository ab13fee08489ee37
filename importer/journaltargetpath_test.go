package importer_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
)

// otherDatabaseWarned reports whether res warns that the journal is of
// another database with the target's pool ID.
func otherDatabaseWarned(res *importer.Result) bool {
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "another database with this pool ID") {
			return true
		}
	}
	return false
}

// An import into an SQLite target named by another spelling of the same
// file (relative, absolute, with "./") is an import into the same
// database: a resume after a kill keeps its rooms' starting points and
// does not warn of another database.
func TestImportJournalSameSQLiteFileOtherSpelling(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{})
	t.Chdir(filepath.Dir(e.target))
	if _, err := importInto(t, filepath.Base(e.target), e.archive, importer.Options{}); err != nil {
		t.Fatalf("import as %s: %v", filepath.Base(e.target), err)
	}
	for _, spelling := range []string{e.target, "./" + filepath.Base(e.target), filepath.Dir(e.target) + "/./" + filepath.Base(e.target)} {
		res, err := importInto(t, spelling, e.archive, importer.Options{})
		if err != nil {
			t.Fatalf("import again as %s: %v", spelling, err)
		}
		if otherDatabaseWarned(res) {
			t.Errorf("import again as %s: warned that the journal is another database's, though the file is the same", spelling)
		}
		if !res.Resumed {
			t.Errorf("import again as %s: Resumed false, want true (the journal is this database's)", spelling)
		}
	}
}

// Two databases with one pool ID named by the same relative path from two
// directories (the target and a rehearsal copy of it, each in its own
// directory under the same file name) are two databases: the copy does not
// take the target's starting points.
func TestImportJournalSameRelativePathOtherDirectoryNotTrusted(t *testing.T) {
	e := newEstate(t)
	base := filepath.Base(e.target)
	e.exportAt(t, 0)
	t.Chdir(filepath.Dir(e.target))
	if _, err := importInto(t, base, e.archive, importer.Options{}); err != nil {
		t.Fatalf("first import: %v", err)
	}
	name, node, n := emptyBusiestRoom(t, e)
	e.exportAt(t, 1)
	rehearsal := filepath.Join(e.dir, "rehearsal")
	if err := os.Mkdir(rehearsal, 0o755); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(rehearsal, base)
	labtest.CopyFile(t, e.target, copyPath)

	if _, err := importInto(t, base, e.archive, importer.Options{}); err != nil {
		t.Fatalf("import into the target: %v", err)
	}
	if got := len(roomMessages(t, e.target, name)); got != n {
		t.Fatalf("target room %q: %d messages, want the archive's %d", name, got, n)
	}
	postThree(t, copyPath, node)

	// As an earlier pcmig left it: one journal for both databases.
	importer.AsLegacyJournal(t, e.archive, e.target)
	t.Chdir(rehearsal)
	res, err := importInto(t, base, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("import into the copy: %v", err)
	}
	if !otherDatabaseWarned(res) {
		t.Errorf("no warning that the journal is another database's: %+v", res.Problems)
	}
	if got := len(roomMessages(t, copyPath, name)); got != n+3 {
		t.Errorf("copy's room %q: %d messages, want its users' 3 and the archive's %d", name, got, n)
	}
}

// A journal whose recorded target is not one pcmig wrote (megabytes, with
// terminal control characters) is named in the warning shortened and
// escaped: the console line stays a line.
func TestImportJournalOtherTargetShownShort(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{})
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob(e.archive + ".import-*.json")
	if len(paths) != 1 {
		t.Fatalf("journals %v, want one", paths)
	}
	var d map[string]any
	if err := json.Unmarshal(readFile(t, paths[0]), &d); err != nil {
		t.Fatal(err)
	}
	d["target"] = strings.Repeat("\x1b[2J\u202e", 300000)
	delete(d, "target_from_journal") // of no database here either
	delete(d, "checksum")
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[0], importer.SealJournal(b), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, p := range res.Problems {
		if !strings.Contains(p.Message, "another database with this pool ID") {
			continue
		}
		warned = true
		if len(p.Message) > 2000 || strings.ContainsAny(p.Message, "\x1b\u202e") {
			t.Errorf("warning of %d bytes (control characters raw: %v), want a short, escaped line", len(p.Message), strings.ContainsAny(p.Message, "\x1b\u202e"))
		}
	}
	if !warned {
		t.Errorf("no warning that the journal is another database's")
	}
}
