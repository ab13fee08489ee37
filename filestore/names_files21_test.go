package filestore

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestWindowsNameProblem(t *testing.T) {
	for _, rel := range []string{
		"r/f/CON", "r/f/con.txt", "r/f/Nul.tar.gz", "r/f/COM1.docx", "r/f/lpt9", "r/f/COM¹.txt", "r/f/CONIN$",
		"r/f/AUX .txt", "aux/f/x.txt",
		"r/f/report.docx.", "r/f/report.docx ", "r/f. /x",
		"r/f/report.docx:evil", "r/f/a:b",
		"r/f/a<b", "r/f/a>b", `r/f/a"b`, "r/f/a|b", "r/f/a?b", "r/f/a*b", `r/f/a\b`, "r/f/a\x01b", "r/f/a\tb",
		"r/f/" + strings.Repeat("é", 256),
	} {
		if WindowsNameProblem(rel) == "" {
			t.Errorf("WindowsNameProblem(%q) = \"\", want a problem", rel)
		}
	}
	for _, rel := range []string{
		"r/f/report.docx", "r/f/CONTRACT.pdf", "r/f/console.txt", "r/f/com10.txt", "r/f/lpt.txt", "r/f/.hidden",
		"r/f/議事録.pdf", "r/f/a b.txt", "r/f/" + strings.Repeat("é", 255), "r/f/100%.txt", "r/f/a#b&c;d.txt",
	} {
		if p := WindowsNameProblem(rel); p != "" {
			t.Errorf("WindowsNameProblem(%q) = %q, want none", rel, p)
		}
	}
}

func TestCollisions(t *testing.T) {
	nfc, nfd := "r/f/Café.txt", norm.NFD.String("r/f/Café.txt")
	got := Collisions([]string{"r/f/a.docx", "r/f/A.docx", "r/g/a.docx", nfc, nfd, "R/F/A.DOCX", "r/f/b.txt"})
	want := [][]string{{"R/F/A.DOCX", "r/f/A.docx", "r/f/a.docx"}, {nfc, nfd}}
	slices.SortFunc(want[1], strings.Compare)
	if len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("Collisions = %q, want %q", got, want)
	}
}

// TestCopyOfNamesOneOnAWindowsStore: a source store (a lab copy, a
// rehearsal on a case-sensitive folder) holds "r/f/Report.docx" and
// "r/f/report.docx", and a name Windows cannot hold. Into a target
// folder that takes names of other case as one (as NTFS does), the copy
// is refused before its first file, naming both, and nothing is copied:
// before, the second renamed over the first. Into a folder that tells
// them apart (this machine's) both are copied and Result says so.
// folding is set by hand: no file system here folds case, and the test
// of the real folder (probeFolding) says so.
func TestCopyOfNamesOneOnAWindowsStore(t *testing.T) {
	src := t.TempDir()
	write(t, src, "r/f/Report.docx", "the first")
	write(t, src, "r/f/report.docx", "the second")
	write(t, src, "r/g/CON.txt", "a device on Windows")
	write(t, src, "r/h/ok.txt", "ok")

	dst := filepath.Join(t.TempDir(), "store")
	folds := func() (bool, string) { return true, "tried" }
	for _, dry := range []bool{true, false} {
		_, err := CopyWith(t.Context(), src, dst, Options{DryRun: dry, folding: folds})
		var refused *RefusedError
		if !errors.As(err, &refused) || len(refused.Collisions) != 1 || len(refused.Unfit) != 1 {
			t.Fatalf("Copy (dry run %v) into a folding target = %v, want a refusal", dry, err)
		}
		for _, want := range []string{`"r/f/Report.docx" and "r/f/report.docx"`, `"r/g/CON.txt" is a device name`, "nothing was copied"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Copy (dry run %v): %v\nwant it to say %s", dry, err, want)
			}
		}
	}
	if n, _ := Count(dst); n.Files != 0 {
		t.Errorf("the refused copy put %d files in the target", n.Files)
	}

	res, err := Copy(t.Context(), src, dst, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != 4 || len(res.Collisions) != 1 || len(res.Unfit) != 1 || res.Unfit[0].File != "r/g/CON.txt" {
		t.Errorf("copy into a case-sensitive target: %+v, want 4 copied, one collision and one unfit name", res)
	}
	for name, want := range map[string]string{"r/f/Report.docx": "the first", "r/f/report.docx": "the second"} {
		if got, _ := os.ReadFile(filepath.Join(dst, filepath.FromSlash(name))); string(got) != want {
			t.Errorf("%s holds %q, want %q", name, got, want)
		}
	}
}

// TestProbeFoldingLeavesNothing: the copy's test of its target folder
// tells this machine's case-sensitive folder as one, and removes its test
// file.
func TestProbeFoldingLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	folds, err := probeFolding(r, "0123456789abcdef")
	if err != nil || folds {
		t.Errorf("probeFolding = %v, %v; want false (this folder tells case apart)", folds, err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("the probe left %v", es)
	}
	if !isTemp(".pcmig-case-\u00e9"+tempMark+"0123456789abcdef", "0123456789abcdef") {
		t.Error("the probe's file is not named as a temporary file: a killed copy's would stay")
	}
	c := &copier{dst: dir}
	write(t, dir, "Some/File.txt", "x")
	if folds, how := c.targetFolding(); folds {
		t.Errorf("a dry run's look at this folder says it folds case (%s)", how)
	}
}

// TestDryRunLooksOnlyInsideTheTarget: a folder of the target that is a
// symbolic link out of it, to a file of the source's name and other
// content: the dry run's look at the target (for files it would write
// over) does not follow it, as the copy does not: nothing outside the
// two stores is read.
func TestDryRunLooksOnlyInsideTheTarget(t *testing.T) {
	src, dst, outside := t.TempDir(), t.TempDir(), t.TempDir()
	write(t, src, "room1/report.txt", "hello")
	write(t, outside, "report.txt", "other")
	if err := os.Symlink(outside, filepath.Join(dst, "room1")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	res, err := Copy(t.Context(), src, dst, true, nil)
	if err != nil || len(res.Missing) != 1 {
		t.Errorf("dry run = %+v, %v; want room1/report.txt to copy, and no look through the link", res, err)
	}
}
