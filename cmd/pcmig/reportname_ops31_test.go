package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReportNameMustEndInHTMLOrJSON: the extension of --report picks the
// format (.html or .json, in any letter case); any other name is a
// command-line mistake, refused by every command that takes --report
// before it reads or writes anything (exit 64), naming the flag and the
// extensions. Before, every name but *.json was written as HTML
// (verify --report r.txt wrote a page into r.txt).
func TestReportNameMustEndInHTMLOrJSON(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	est := filepath.Join(dir, "estate.lua")
	src, dst := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	zip := filepath.Join(t.TempDir(), "in.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
	out := t.TempDir()
	commands := map[string][]string{
		"run":    {"run", "--estate", est},
		"export": {"export", "--db", "sqlite:" + src, "--file", filepath.Join(out, "out.zip")},
		"import": {"import", "--db", "sqlite:" + dst, "--file", zip},
		"verify": {"verify", "--estate", est},
	}
	// Every command that takes --report is tried.
	for _, path := range commandPaths() {
		cmd := newApp(env{stdout: io.Discard, stderr: io.Discard}).Command(path[0])
		for _, p := range path[1:] {
			cmd = cmd.Command(p)
		}
		if hasFlag(cmd, "report") {
			if _, ok := commands[strings.Join(path, " ")]; !ok {
				t.Errorf("pcmig %s takes --report and is not tried here", strings.Join(path, " "))
			}
		}
	}
	before := readFile(t, dst)
	for name, args := range commands {
		for _, bad := range []string{"report.txt", "report", "report.htm", "report.html.bak", "report."} {
			rep := filepath.Join(out, bad)
			for _, a := range [][]string{args, append(slices.Clone(args), "--dry-run")} {
				if name == "export" || name == "verify" {
					if len(a) > len(args) {
						continue // no dry run
					}
				}
				stdout, stderr, code := runCmd(t, append(slices.Clone(a), "--report", rep)...)
				if code != exitUsage {
					t.Errorf("pcmig %s --report %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(a, " "), bad, code, exitUsage, stdout, stderr)
				}
				mustContain(t, "pcmig "+name+" --report "+bad, stderr, "--report "+rep+": ", ".html", ".json")
				if _, err := os.Lstat(rep); !os.IsNotExist(err) {
					t.Errorf("pcmig %s --report %s wrote %s", name, bad, rep)
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".pcmig")); !os.IsNotExist(err) {
		t.Errorf("a refused run left its state folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "out.zip")); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote its archive: %v", err)
	}
	if !bytes.Equal(readFile(t, dst), before) {
		t.Error("a refused import changed the target")
	}
	// Either extension in any letter case is taken, and picks the format.
	for _, c := range []struct{ name, head string }{{"R.HTML", "<!DOCTYPE html"}, {"r.Json", "{"}} {
		rep := filepath.Join(out, c.name)
		mustRun(t, 3, "verify", "--estate", est, "--report", rep) // 3: the lab is not migrated
		if got := string(readFile(t, rep)); !strings.HasPrefix(got, c.head) {
			t.Errorf("verify --report %s wrote %.40q, want it to begin %q", c.name, got, c.head)
		}
	}
}
