package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// plantKilledReportTemp leaves what a process killed while it wrote the
// report at report left: the write's temporary file, recorded (by that
// process, now ended) in ledger. It returns the file's path.
func plantKilledReportTemp(t *testing.T, report, ledger string) string {
	t.Helper()
	left := filepath.Join(filepath.Dir(report), "."+filepath.Base(report)+".tmp-4242")
	writeFile(t, left, `{"half a rep`)
	host, _ := os.Hostname()
	writeFile(t, ledger, `{"file":`+strconv.Quote(left)+`,"pid":999999999,"host":`+strconv.Quote(host)+"}\n")
	return left
}

// TestReportOfAKilledCommandLeavesNoTemporaryFile: export, import and
// verify killed while they wrote their --report left its temporary file
// (.NAME.tmp-DIGITS beside the report), recorded in the command's ledger
// (export: beside the archive; import, verify: beside the report). The
// same command's rerun removes it, says so, and leaves no ledger. Before,
// a report's temporary file was not recorded and no rerun removed it.
func TestReportOfAKilledCommandLeavesNoTemporaryFile(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	out := t.TempDir()
	archive, source, target := filepath.Join(out, "a.zip"), "sqlite:"+filepath.Join(dir, "source-2015.db"), "sqlite:"+filepath.Join(dir, "target-2019.db")
	for _, c := range []struct {
		name, report, ledger string
		code                 int
		args                 []string
	}{
		{"export", "export.json", ".a.zip.pcmig-temporaries.jsonl", 0, []string{"export", "--db", source, "--file", archive, "--overwrite"}},
		{"import", "import.json", ".import.json.pcmig-temporaries.jsonl", 2, []string{"import", "--db", target, "--file", archive, "--dry-run"}},
		{"verify", "verify.html", ".verify.html.pcmig-temporaries.jsonl", 3, []string{"verify", "--source", source, "--target", target}},
	} {
		if c.name == "export" {
			mustRun(t, 0, c.args...) // the archive, for the import
		}
		report := filepath.Join(out, c.report)
		left := plantKilledReportTemp(t, report, filepath.Join(out, c.ledger))
		_, stderr := mustRun(t, c.code, append(c.args, "--report", report)...)
		mustContain(t, c.name+"'s stderr", stderr, "Removed "+left+", the temporary file of a pcmig "+c.name+" that was stopped before it finished")
		if _, err := os.Lstat(left); !os.IsNotExist(err) {
			t.Errorf("%s: the killed report's temporary file is still there: %v", c.name, err)
		}
		if _, err := os.Lstat(filepath.Join(out, c.ledger)); !os.IsNotExist(err) {
			t.Errorf("%s: the ledger is left: %v", c.name, err)
		}
		if _, err := os.Stat(report); err != nil {
			t.Errorf("%s: no report: %v", c.name, err)
		}
	}
}
