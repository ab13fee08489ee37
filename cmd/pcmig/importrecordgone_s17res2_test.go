package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWithoutImportRecordSaysWhatMayBeTheCase: a resumed run under
// on_conflict = "rename" has no record of the import because the archive
// was replaced by a newer export to the same file (the journal beside it
// is the old archive's), or because the archive is gone. import.record
// says only that there is no record, so the error names every cause
// (the journal removed, the archive gone, the journal another archive's)
// and what to do, and does not state that the journal was removed, as it
// did before whatever the cause.
func TestRunWithoutImportRecordSaysWhatMayBeTheCase(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	src := string(readFile(t, estFile))
	writeFile(t, estFile, strings.Replace(src, `on_conflict = "merge"`, `on_conflict = "rename"`, 1))
	addTargetCategory(t, est, "finance")
	restore := stopAtFileCopy(t, est)
	mustRun(t, 1, "run", "--estate", estFile)
	restore()
	archive := filepath.Join(est, "archive", "pchat-2015.zip")

	check := func(what string) {
		t.Helper()
		stdout, stderr := mustRun(t, 1, "run", "--estate", estFile, "--resume")
		out := stdout + stderr
		mustContain(t, what, out, "the record of the import", "is gone", "was removed, or the archive is no longer there",
			"or the journal there belongs to another archive", `on_conflict = "rename"`, "Put back the archive this run imported", "--resume")
		if strings.Contains(out, "beside the archive, was removed)") {
			t.Errorf("%s: the error still states that the journal was removed:\n%s", what, out)
		}
	}
	// A newer export to the same file: the journal is the old archive's.
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", archive, "--overwrite")
	check("archive replaced")
	// The archive gone.
	if err := os.Remove(archive); err != nil {
		t.Fatal(err)
	}
	check("archive gone")
}
