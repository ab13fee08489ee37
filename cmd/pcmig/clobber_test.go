package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// setEstate replaces one `key = "value"` line of a lab estate file.
func setEstate(t *testing.T, estFile, key, value string) {
	t.Helper()
	b := readFile(t, estFile)
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, key+" = ") {
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			lines[i] = indent + key + " = " + value + ","
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("estate has no %s line", key)
	}
	writeFile(t, estFile, strings.Join(lines, "\n"))
}

// TestRunRefusesAnOutputThatNamesAnInput: an estate whose archive, runbook
// or state names one of its databases, its topology or its directory is
// refused before anything is written, in a dry run as in the real run, and
// the file is left byte for byte as it was.
func TestRunRefusesAnOutputThatNamesAnInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key, value string
		want       []string
	}{
		{"archive", `"source-2015.db"`, []string{"archive", "source-2015.db", "source database"}},
		{"archive", `"target-2019.db"`, []string{"archive", "target-2019.db", "target database"}},
		{"archive", `"./sub/../target-2019.db"`, []string{"archive", "target-2019.db", "target database"}},
		{"archive", `"topology.xml"`, []string{"archive", "topology.xml", "topology"}},
		{"archive", `"estate.lua"`, []string{"archive", "estate.lua", "estate file"}},
		{"runbook", `"users.csv"`, []string{"runbook", "users.csv", "directory"}},
		{"state", `"source-2015.db"`, []string{"state", "source-2015.db", "source database"}},
		{"archive", `"runbook.ps1"`, []string{"archive", "runbook.ps1", "runbook"}},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "200")
			estFile := filepath.Join(est, "estate.lua")
			setEstate(t, estFile, tt.key, tt.value)
			if strings.Contains(tt.value, "sub/") {
				if err := os.Mkdir(filepath.Join(est, "sub"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			before := hashTree(t, est)
			for _, mode := range [][]string{{"--dry-run"}, {}} {
				stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile}, mode...)...)
				if code != exitError {
					t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want...)
				if strings.Contains(stdout, "== Step") {
					t.Errorf("run %v started steps:\n%s", mode, stdout)
				}
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
			}
		})
	}
}

// TestRunRefusesOutputFlagsThatNameAnInput: --report, --plan and --runbook
// may not name a database either (--report is refused by its extension
// before that), nor --report another input of the estate.
func TestRunRefusesOutputFlagsThatNameAnInput(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	before := hashTree(t, est)
	for _, flag := range []string{"--report", "--plan", "--runbook"} {
		for _, mode := range [][]string{{"--dry-run"}, {}} {
			args := append([]string{"run", "--estate", estFile, flag, filepath.Join(est, "target-2019.db")}, mode...)
			_, stderr, code := runCmd(t, args...)
			if code != exitUsage {
				t.Errorf("run %s target-2019.db %v: exit %d, want %d\nstderr:\n%s", flag, mode, code, exitUsage, stderr)
			}
			want := "target database"
			if flag == "--report" { // refused by its extension first
				want = "give a file name ending in .html (a page for people) or .json (for machines)"
			}
			mustContain(t, "stderr", stderr, strings.TrimPrefix(flag, "--"), "target-2019.db", want)
		}
	}
	// A report named as one of the estate's inputs is refused for what it
	// is: the lab's pool settings are a .json file.
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		args := append([]string{"run", "--estate", estFile, "--report", filepath.Join(est, "pool-settings.json")}, mode...)
		_, stderr, code := runCmd(t, args...)
		if code != exitUsage {
			t.Errorf("run --report pool-settings.json %v: exit %d, want %d\nstderr:\n%s", mode, code, exitUsage, stderr)
		}
		mustContain(t, "stderr", stderr, "--report", "pool-settings.json is also the pool settings")
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
	}
}

// TestRunRefusesToReplaceAFileThatIsNotAnArchive: the bundled script
// exports with overwrite = true; an existing file at the archive path that
// is not a pcmig archive is refused, in the dry run too.
func TestRunRefusesToReplaceAFileThatIsNotAnArchive(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	setEstate(t, estFile, "archive", `"notes.txt"`)
	writeFile(t, filepath.Join(est, "notes.txt"), "the change window is on Saturday\n")
	before := hashTree(t, est, ".pcmig")
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile}, mode...)...)
		if code != exitError {
			t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "notes.txt", "not a pcmig archive")
		if strings.Contains(stderr+stdout, "Saturday") {
			t.Errorf("the error quotes the file:\n%s", stderr)
		}
	}
	if diff := cmp.Diff(before, hashTree(t, est, ".pcmig")); diff != "" {
		t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
	}
}

// TestExportRefusesToReplaceAFileThatIsNotAnArchive: pcmig export
// --overwrite replaces an earlier archive, never a database or another
// file.
func TestExportRefusesToReplaceAFileThatIsNotAnArchive(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src := filepath.Join(est, "source-2015.db")
	other := filepath.Join(est, "notes.txt")
	writeFile(t, other, "keep me\n")
	before := hashTree(t, est)
	for _, file := range []string{src, filepath.Join(est, "target-2019.db"), other, est} {
		for _, extra := range [][]string{{"--overwrite"}, {}, {"--overwrite", "--disable-exported"}} {
			args := append([]string{"export", "--db", "sqlite:" + src, "--file", file}, extra...)
			_, stderr, code := runCmd(t, args...)
			if code == 0 {
				t.Errorf("export --file %s %v: exit 0", filepath.Base(file), extra)
			}
			if file == src {
				mustContain(t, "stderr", stderr, "the database it reads")
			} else if len(extra) > 0 {
				mustContain(t, "stderr", stderr, "not a pcmig archive")
			}
		}
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused exports changed the estate (-before +after):\n%s", diff)
	}
	// An earlier archive is replaced.
	zip := filepath.Join(est, "pchat.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip, "--overwrite", "--level", "User")
	out, _ := mustRun(t, 0, "inspect", zip)
	mustContain(t, "inspect", out, "User")
}

// TestImportRefusesAReportThatNamesTheDatabase: the report of an import may
// not replace the target or the archive; a dry run refuses it too.
func TestImportRefusesAReportThatNamesTheDatabase(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	zip := exportArchive(t, est)
	target := filepath.Join(est, "target-2019.db")
	for _, report := range []string{target, zip} {
		for _, mode := range [][]string{{"--dry-run"}, {}} {
			before := hashTree(t, est)
			zipBefore := readFile(t, zip)
			args := append([]string{"import", "--db", "sqlite:" + target, "--file", zip, "--report", report}, mode...)
			_, stderr, code := runCmd(t, args...)
			if code != exitUsage {
				t.Errorf("import --report %s %v: exit %d, want %d\nstderr:\n%s", filepath.Base(report), mode, code, exitUsage, stderr)
			}
			mustContain(t, "stderr", stderr, "report", filepath.Base(report))
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("import --report %s %v changed the estate (-before +after):\n%s", filepath.Base(report), mode, diff)
			}
			if string(zipBefore) != string(readFile(t, zip)) {
				t.Errorf("import --report %s %v changed the archive", filepath.Base(report), mode)
			}
		}
	}
}
