package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusedByItsJournalSaysNothingWasImported: an import whose
// journal is damaged, edited or not pcmig's (a truncated file, a text
// file, one of 300 MB, a folder) is refused before it writes, the target
// and the journal left as they were, and its summary says nothing was
// imported. Before, it exited 1 but printed "Imported into ...: 0 new
// principals, ..., 24 rooms, 0 messages ...; 0 conflicts, 0 errors" under
// the refusal.
func TestImportRefusedByItsJournalSaysNothingWasImported(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	arch := exportArchive(t, est)
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, journal string)
		want   string
	}{
		{"truncated", func(t *testing.T, j string) {
			b, err := os.ReadFile(j)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, j, string(b[:len(b)/2]))
		}, "is damaged or was edited"},
		{"not a journal", func(t *testing.T, j string) { writeFile(t, j, "hello\n") }, "has no checksum"},
		{"a folder", func(t *testing.T, j string) {
			if err := os.Remove(j); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(j, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := filepath.Join(dir, "a.zip")
			copyFile(t, arch, a)
			target := filepath.Join(dir, "t.db")
			copyFile(t, filepath.Join(est, "target-2019.db"), target)
			mustRun(t, exitOK, "import", "--db", "sqlite:"+target, "--file", a)
			journals, err := filepath.Glob(a + ".import-*.json")
			if err != nil || len(journals) != 1 {
				t.Fatalf("import journals %v (%v), want one", journals, err)
			}
			tc.damage(t, journals[0])
			before, jbefore := fileSum(t, target), dirState(t, dir)
			stdout, stderr := mustRun(t, exitError, "import", "--db", "sqlite:"+target, "--file", a)
			mustContain(t, "stderr", stderr, tc.want)
			mustContain(t, "stdout", stdout, "Nothing imported into ", "refused before anything was written")
			if strings.Contains(stdout, "Imported into") {
				t.Errorf("the summary of a refused import says it imported:\n%s", stdout)
			}
			if fileSum(t, target) != before {
				t.Error("the refused import changed the target")
			}
			if after := dirState(t, dir); after != jbefore {
				t.Errorf("the refused import changed the folder of the archive and its journal:\nbefore %s\nafter  %s", jbefore, after)
			}
		})
	}
}

// dirState lists a folder's entries but t.db, with their modes and, for
// files, their content's SHA-256.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		if e.Name() == "t.db" {
			continue
		}
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s", e.Name(), info.Mode())
		if info.Mode().IsRegular() {
			fmt.Fprintf(&b, " %x", fileSum(t, filepath.Join(dir, e.Name())))
		}
		b.WriteString("; ")
	}
	return b.String()
}

// copyFile copies a file.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
