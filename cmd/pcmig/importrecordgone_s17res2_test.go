package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWithoutImportRecordSaysWhatMayBeTheCase: a resumed run under
// on_conflict = "rename" has no record of the import because the journal
// was removed, because the archive was replaced by a newer export to the
// same file (the journal beside it is the old archive's), or because the
// archive is gone. import.record says which (its second result), so the
// error names the one case that applies and what to do for it, and none
// of the others.
func TestRunWithoutImportRecordSaysWhatMayBeTheCase(t *testing.T) {
	t.Parallel()
	est, estFile, _ := renameRunStoppedAtFileCopy(t, "finance")
	archive := filepath.Join(est, "archive", "pchat-2015.zip")

	cases := map[string]string{
		"no journal":      "was removed",
		"another archive": "belongs to another archive",
		"no archive":      "is no longer there",
	}
	check := func(what, reason string, fix ...string) {
		t.Helper()
		stdout, stderr := mustRun(t, 1, "run", "--estate", estFile, "--resume")
		out := stdout + stderr
		mustContain(t, what, out, append([]string{"the record of the import", "is gone: ", `on_conflict = "rename"`, cases[reason], "--resume"}, fix...)...)
		for r, says := range cases {
			if r != reason && strings.Contains(out, says) {
				t.Errorf("%s: the error says %q (the case %q) too:\n%s", what, says, r, out)
			}
		}
	}
	// The journal removed.
	journals, err := filepath.Glob(archive + ".import-*.json")
	if err != nil || len(journals) != 1 {
		t.Fatalf("import journals %q (%v), want one", journals, err)
	}
	saved := readFile(t, journals[0])
	if err := os.Remove(journals[0]); err != nil {
		t.Fatal(err)
	}
	check("journal removed", "no journal", "Put back the journal", "pcmig import --db TARGET-DB --file "+archive+" --on-conflict rename")
	writeFile(t, journals[0], string(saved))
	// A newer export to the same file: the journal is the old archive's.
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", archive, "--overwrite")
	check("archive replaced", "another archive", "Put back the archive this run imported")
	// The archive gone.
	if err := os.Remove(archive); err != nil {
		t.Fatal(err)
	}
	check("archive gone", "no archive", "Put back the archive this run imported")
}
