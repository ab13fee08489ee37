package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileDirName is a folder name worded as pcmig's own console lines: a
// line feed, then "EQUAL: fake", then a carriage return.
const hostileDirName = "est\nEQUAL: fake\r"

// TestConsoleOfHostilePathsEndToEnd: the paths pcmig prints itself (the
// estate's files, its databases and file stores, the archive, --report,
// --plan, a lab's folder) come from the command line and the file system
// and may hold line breaks; each is shown on one line, its line breaks as
// \n and \r. Before, "Plan: ", "Report: ", the doctor's database heading
// and checks, the export's and import's summaries, inventory's heading
// and lab init's lines printed them raw, and "EQUAL: fake" started a
// console line.
func TestConsoleOfHostilePathsEndToEnd(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), hostileDirName)
	copyDir(t, labEstate(t, "--messages", "100"), dir)
	estFile := filepath.Join(dir, "estate.lua")
	src, tgt := "sqlite:"+filepath.Join(dir, "source-2015.db"), "sqlite:"+filepath.Join(dir, "target-2019.db")
	zip := filepath.Join(dir, "x.zip")
	for _, args := range [][]string{
		{"doctor", "--estate", estFile},
		{"doctor", "--db", src},
		{"run", "--estate", estFile, "--dry-run", "--plan", filepath.Join(dir, "plan.json")},
		{"export", "--db", src, "--file", zip, "--report", filepath.Join(dir, "export.json")},
		{"import", "--db", tgt, "--file", zip, "--dry-run", "--report", filepath.Join(dir, "import.json")},
		{"inventory", "--db", src, "--file-store", filepath.Join(dir, "filestore-2015")},
		{"run", "--estate", estFile, "--report", filepath.Join(dir, "run.html"), "--plan", filepath.Join(dir, "plan.json")},
		{"verify", "--estate", estFile, "--report", filepath.Join(dir, "verify.json")},
		{"lab", "init", filepath.Join(dir, "lab"), "--messages", "10"},
	} {
		stdout, stderr, code := runCmd(t, args...)
		what := strings.Join(args[:2], " ")
		if code != 0 && code != exitPending {
			t.Errorf("pcmig %s: exit %d\n%s%s", what, code, stdout, stderr)
		}
		checkConsoleLines(t, what, stdout+stderr)
		if !strings.Contains(stdout+stderr, `est\nEQUAL: fake\r`) {
			t.Errorf("pcmig %s: the path is not shown escaped:\n%s%s", what, stdout, stderr)
		}
	}
	for _, f := range []string{"plan.json", "export.json", "import.json", "run.html", "verify.json", "lab/estate.lua"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
}
