package main

import (
	"fmt"
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
