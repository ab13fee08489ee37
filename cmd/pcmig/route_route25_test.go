package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// runbookScopeFiles reads the $ScopeFiles list of a runbook (one quoted
// path a line), with / between folders; ok is false when it has none.
func runbookScopeFiles(t *testing.T, book string) (files []string, ok bool) {
	t.Helper()
	text := string(readFile(t, book))
	i := strings.Index(text, "$ScopeFiles = @(")
	if i < 0 {
		return nil, strings.Contains(text, "$ScopeFiles = @()")
	}
	rest := text[i+len("$ScopeFiles = @("):]
	end := regexp.MustCompile(`\n\s*\)`).FindStringIndex(rest)
	if end == nil {
		t.Fatal("$ScopeFiles has no end")
	}
	body := rest[:end[0]]
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		l = strings.TrimSpace(l)
		if len(l) < 2 || l[0] != '\'' || l[len(l)-1] != '\'' {
			t.Fatalf("a line of $ScopeFiles is not a quoted path: %q", l)
		}
		files = append(files, strings.ReplaceAll(strings.ReplaceAll(l[1:len(l)-1], "''", "'"), `\`, "/"))
	}
	slices.Sort(files)
	return files, true
}

// TestRoutedRealEstateCopiesOnlyItsFiles: a real estate's runbook copied
// the whole source file share to every target with robocopy /E, while the
// lab copied only the files the scope's rooms link to: every routed pool
// got the other pools' uploaded files (pools exist for data residency),
// and the run only warned. Now the runbook lists the files the messages of
// the scope's rooms link to and copies those, with the never-overwrite
// check, robocopy /XC /XN /XO and the size check; an estate without a
// scope still copies the whole share.
func TestRoutedRealEstateCopiesOnlyItsFiles(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	src := openDB(t, filepath.Join(dir, "source-2015.db"))
	for _, c := range []struct {
		estate string
		cats   []string
	}{
		{"emea.lua", []string{"Engineering", "Sales"}},
		{"amer.lua", []string{"Finance", "Support", "Människor & Kultur", "東京オフィス"}},
	} {
		est := filepath.Join(dir, c.estate)
		editEstate(t, est, `kind = "lab"`, `kind = "real"`)
		book := filepath.Join(dir, "dry-"+strings.TrimSuffix(c.estate, ".lua")+".ps1")
		stdout, stderr := mustRun(t, exitPending, "run", "--estate", est, "--dry-run", "--runbook", book)
		want := linkedFilesOf(t, src, c.cats...)
		if strings.Contains(stderr, "copies the whole file store") || strings.Contains(stdout, "the whole file store of") {
			t.Errorf("%s: the run still says the whole share is copied:\n%s\n%s", c.estate, stdout, stderr)
		}
		mustContain(t, c.estate, stdout, "real estate: the runbook copies the "+countWord(len(want), "uploaded file")+" linked from the rooms of the ")
		got, ok := runbookScopeFiles(t, book)
		if !ok {
			t.Fatalf("%s: the runbook lists no files of the scope", c.estate)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the runbook copies %q, want the files of its rooms %q", c.estate, got, want)
		}
		text := string(readFile(t, book))
		if regexp.MustCompile(`(?m)^\s*& robocopy\.exe \$OldShare \$NewShare /E`).MatchString(text) {
			t.Errorf("%s: the runbook still copies the whole share", c.estate)
		}
		for _, line := range []string{
			"Test-PcmigFileStoreTarget -Source $OldShare -Target $NewShare -Record $CopyRecord -Only $ScopeFiles -Scoped",
			"Copy-PcmigScopeFiles -Source $OldShare -Target $NewShare -Only $ScopeFiles -Log $CopyLog",
			"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare -Only $ScopeFiles -Scoped",
			"& robocopy.exe $from $to $batch /Z /COPY:DAT /XC /XN /XO",
		} {
			if !strings.Contains(text, line) {
				t.Errorf("%s: the runbook lacks %q", c.estate, line)
			}
		}
	}
}

// countWord is "N word" or "N words".
func countWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// TestRoutedDoctorLooksAtTheScopesFiles: the doctor's "uploaded file
// names" line (pcmig doctor --estate, and the run's pre-flight) compared
// the whole source file store with the target's, though a scoped estate
// copies only its rooms' files: a file of the target under the name of
// another pool's file, with other content, failed the line and stopped
// the run before step 1, while the copy would never touch it. Now the line
// looks at the files the scope's rooms link to; the same file under one of
// the scope's own names still fails it.
func TestRoutedDoctorLooksAtTheScopesFiles(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	src := openDB(t, filepath.Join(dir, "source-2015.db"))
	emea := filepath.Join(dir, "emea.lua")
	other := linkedFilesOf(t, src, "Finance", "Support", "Människor & Kultur", "東京オフィス")
	own := linkedFilesOf(t, src, "Engineering", "Sales")
	put := func(rel string) {
		p := filepath.Join(dir, "filestore-emea", filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, "another pool's upload, not the source's file\n")
	}
	put(other[0])
	stdout, _ := mustRun(t, 0, "doctor", "--estate", emea)
	if l := doctorLine(stdout, "uploaded file names"); !strings.HasPrefix(l, "OK") {
		t.Errorf("a target file under the name of another pool's file: %q", l)
	}
	mustRun(t, exitPending, "run", "--estate", emea, "--dry-run")

	put(own[0])
	stdout, _ = mustRun(t, 1, "doctor", "--estate", emea)
	if l := doctorLine(stdout, "uploaded file names"); !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, own[0]) || strings.Contains(l, other[0]) {
		t.Errorf("a target file under the name of one of the scope's files: %q", l)
	}
}

// doctorLine is the line of a doctor report for the check, from its status.
func doctorLine(report, check string) string {
	for _, l := range strings.Split(report, "\n") {
		if len(l) > 6 && strings.HasPrefix(strings.TrimSpace(l[6:]), check) {
			return l
		}
	}
	return ""
}

// TestRoutedDoctorSizesTheScopesImport: the doctor's size of the import a
// target takes (pcmig doctor --estate, and the run's doctor.require with
// size_from) counted every message of the source, though a scoped estate
// imports its categories' rooms only: a SQL Server target with room for
// its share failed the size line. Now each routed estate counts its own
// rooms' messages: less than the whole source, and unlike the other's.
func TestRoutedDoctorSizesTheScopesImport(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	adds := func(est string) string {
		t.Helper()
		stdout, _ := mustRun(t, 0, "doctor", "--estate", filepath.Join(dir, est))
		i := strings.LastIndex(stdout, "the import adds about ")
		if i < 0 {
			t.Fatalf("%s: no size of the import:\n%s", est, stdout)
		}
		rest := stdout[i:]
		return rest[:strings.IndexAny(rest, "\n(")]
	}
	script := filepath.Join(dir, "size.lua")
	writeFile(t, script, `local doctor = require("doctor")
for _, c in ipairs(doctor.check("target", { size_from = "source" }).checks) do
  if c.check == "size" then print(c.message) end
end
`)
	emea, amer := adds("emea.lua"), adds("amer.lua")
	inRun, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(dir, "emea.lua"))
	whole := filepath.Join(dir, "whole.lua")
	writeFile(t, whole, strings.Replace(string(readFile(t, filepath.Join(dir, "emea.lua"))), `  routes = "routes.lua",`, "", 1))
	all := adds("whole.lua")
	if emea == amer || emea == all || amer == all {
		t.Errorf("the import's size: emea %q, amer %q, the whole source %q: want three sizes", emea, amer, all)
	}
	mustContain(t, "doctor.check in a run", inRun, emea)
}
