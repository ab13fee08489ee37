package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// realEstateFile turns a lab estate into a real one (its old share looked
// up at run time, the new one given) and applies edit to the estate
// file's text.
func realEstateFile(t *testing.T, est string, edit func(string) string) string {
	t.Helper()
	estFile := filepath.Join(est, "estate.lua")
	s := string(readFile(t, estFile))
	s = strings.Replace(s, `kind = "lab"`, `kind = "real"`, 1)
	s = strings.Replace(s, `file_store = "filestore-2015",`, "", 1)
	s = strings.Replace(s, `file_store = "filestore-2019",`, `file_store = [[\\fs19.contoso.com\pchat]],`, 1)
	if e := edit(s); e != s {
		s = e
	} else {
		t.Fatal("the edit changed nothing")
	}
	writeFile(t, estFile, s)
	return estFile
}

// TestEstateRefusesPoolsThatAreNotHostNames: a pool or registrar of the
// estate that is not a host name (a line break and terminal escape, a
// PowerShell quote and command, an em dash PowerShell reads as "-", a
// right-to-left override) is refused when the estate is loaded, naming the
// field and its line, never the value, before anything is written. Before,
// a real run exported and imported, then stopped at step 7 ("target pool
// ... is not an FQDN", the value quoted) with the import done.
func TestEstateRefusesPoolsThatAreNotHostNames(t *testing.T) {
	t.Parallel()
	base := labEstate(t, "--messages", "100")
	for _, tc := range []struct{ field, old, value string }{
		{"target.registrar", `registrar = "fe19.contoso.com"`, "fe19.contoso.com\n\x1b[31mEQUAL: fake"},
		{"source.registrar", `registrar = "fe15.contoso.com"`, "fe15.contoso.com'; Remove-Item -Recurse C:\\; '"},
		{"target.pool", `pool = "pchat19.contoso.com"`, "pchat19.contoso.com \u2014Force"},
		{"source.pool", `pool = "pchat15.contoso.com"`, "pchat15.contoso.com\u202e$(calc)"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			est := filepath.Join(t.TempDir(), "estate")
			copyDir(t, base, est)
			estFile := realEstateFile(t, est, func(s string) string {
				return strings.Replace(s, tc.old, strings.SplitN(tc.old, "=", 2)[0]+"= "+luaQuote(tc.value), 1)
			})
			before := hashTree(t, est)
			for _, args := range [][]string{
				{"run", "--estate", estFile, "--runbook", filepath.Join(est, "rb.ps1")},
				{"run", "--estate", estFile, "--dry-run"},
				{"doctor", "--estate", estFile},
			} {
				stdout, stderr, code := runCmd(t, args...)
				what := strings.Join(args[:2], " ")
				if code == 0 || code == exitPending {
					t.Errorf("%s: exit %d, want a refusal\n%s%s", what, code, stdout, stderr)
				}
				mustContain(t, what, stderr, tc.field+": want a host name")
				if strings.Contains(stdout, "Step 1") || strings.Contains(stdout+stderr, "Remove-Item") || strings.Contains(stdout+stderr, "calc") {
					t.Errorf("%s: ran, or quoted the value:\n%s%s", what, stdout, stderr)
				}
				checkConsoleLines(t, what, stdout+stderr)
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("a refused estate changed files (-before +after):\n%s", diff)
			}
		})
	}
}

// luaQuote is s as a Lua string literal in decimal escapes for every byte
// outside printable ASCII and for quotes and backslashes.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			fmt.Fprintf(&b, "\\%d", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}
