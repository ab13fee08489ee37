package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutputsStayOutOfFileStores: a pool's file store is an input (the
// run's step 3 copies every file in the source's store into the target's):
// an archive, report, plan, runbook, pool settings or state folder inside
// one was copied into the target's file store as an "uploaded file". Such
// a path is refused before anything runs, naming the role and the file
// store; a command-line flag is a usage error (exit 64).
func TestOutputsStayOutOfFileStores(t *testing.T) {
	t.Parallel()
	estateKeys := []struct{ old, new, want string }{
		{`archive = "archive/pchat-2015.zip"`, `archive = "filestore-2015/a.zip"`, "archive"},
		{`archive = "archive/pchat-2015.zip"`, `archive = "filestore-2019/sub/a.zip"`, "archive"},
		{`runbook = "runbook.ps1"`, `runbook = "filestore-2015/runbook.ps1"`, "runbook"},
		{`state = ".pcmig"`, `state = "filestore-2019/.pcmig"`, "state folder"},
		{`state = ".pcmig"`, `state = "filestore-2015"`, "state folder"},
	}
	for _, tt := range estateKeys {
		t.Run(tt.new, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "200")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, tt.old, tt.new)
			before := hashTree(t, est)
			for _, args := range [][]string{{"run", "--estate", estFile, "--fresh"}, {"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}} {
				stdout, stderr, code := runCmd(t, args...)
				if code == exitOK || code == exitPending {
					t.Errorf("pcmig %s: exit %d, want a refusal\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want, "file store")
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
			}
		})
	}
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	before := hashTree(t, est)
	for _, flag := range []string{"--report", "--plan", "--runbook"} {
		for _, path := range []string{filepath.Join(est, "filestore-2015", "r.html"), filepath.Join(est, "filestore-2019", "x", "..", "r.json")} {
			for _, args := range [][]string{{"run", "--estate", estFile, "--fresh", flag, path}, {"run", "--estate", estFile, "--dry-run", flag, path}} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitUsage {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exitUsage, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, flag, "file store")
			}
		}
	}
	stdout, stderr, code := runCmd(t, "verify", "--estate", estFile, "--report", filepath.Join(est, "filestore-2019", "v.html"))
	if code != exitUsage {
		t.Errorf("verify --report in a file store: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitUsage, stdout, stderr)
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
	}
}

// TestOutputProblemsFoundUpFront: a report that cannot be written where it
// is asked for (no such folder, a file where the folder should be, the
// import journal of the archive, the archive itself through a linked
// folder) is refused before the command does any work.
func TestOutputProblemsFoundUpFront(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	src, tgt := filepath.Join(est, "source-2015.db"), filepath.Join(est, "target-2019.db")
	zip := exportArchive(t, est)
	missing := filepath.Join(t.TempDir(), "nonexist", "r.html")
	notDir := filepath.Join(est, "estate.lua", "r.json")
	link := filepath.Join(t.TempDir(), "linked")
	if err := os.Symlink(filepath.Join(est, "archive"), link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.MkdirAll(filepath.Join(est, "archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	newZip := filepath.Join(est, "new.zip")
	linkDir := filepath.Join(t.TempDir(), "estlink")
	if err := os.Symlink(est, linkDir); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--estate", estFile, "--fresh", "--report", missing}, []string{"--report", "nonexist", "no such folder"}},
		{[]string{"run", "--estate", estFile, "--fresh", "--plan", notDir}, []string{"--plan", "not a folder"}},
		{[]string{"run", "--estate", estFile, "--dry-run", "--runbook", missing}, []string{"--runbook", "no such folder"}},
		{[]string{"export", "--db", "sqlite:" + src, "--file", newZip, "--report", missing}, []string{"--report", "no such folder"}},
		{[]string{"export", "--db", "sqlite:" + src, "--file", newZip, "--report", filepath.Join(linkDir, "new.zip")}, []string{"--report", "ending in .html"}},
		{[]string{"export", "--db", "sqlite:" + src, "--file", filepath.Join(est, "new.json"), "--report", filepath.Join(linkDir, "new.json")}, []string{"--report", "--file"}},
		{[]string{"import", "--db", "sqlite:" + tgt, "--file", zip, "--report", missing}, []string{"--report", "no such folder"}},
		{[]string{"import", "--db", "sqlite:" + tgt, "--file", zip, "--report", zip + ".import-0123456789ab.json"}, []string{"--report", "import journal"}},
		{[]string{"run", "--estate", estFile, "--fresh", "--report", filepath.Join(link, "pchat-2015.zip")}, []string{"--report", "ending in .html"}},
		{[]string{"run", "--estate", estFile, "--fresh", "--plan", filepath.Join(link, "pchat-2015.zip")}, []string{"--plan", "archive"}},
		{[]string{"run", "--estate", estFile, "--fresh", "--report", filepath.Join(link, "pchat-2015.zip.import-0123456789ab.json")}, []string{"--report", "import journal"}},
	}
	before := hashTree(t, est)
	for _, tt := range tests {
		stdout, stderr, code := runCmd(t, tt.args...)
		if code != exitUsage {
			t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, exitUsage, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, tt.want...)
		if strings.Contains(stdout, "Step 1/") || strings.Contains(stdout, "Exported") {
			t.Errorf("pcmig %s worked before refusing:\n%s", strings.Join(tt.args, " "), stdout)
		}
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused commands changed the estate (-before +after):\n%s", diff)
	}
}

// TestFileStoresApartUpFront: a target file store that is the source's, or
// inside it, or that holds it, was refused only by the step "copy the
// uploaded files", after the export and the import had written the
// archive and the target database. The estate is now refused when it is
// loaded, like its other mistakes (exit 1), before anything runs.
func TestFileStoresApartUpFront(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ old, new, want string }{
		{`file_store = "filestore-2019"`, `file_store = "filestore-2015/sub"`, "target file store %s/filestore-2015/sub is inside the source file store %s/filestore-2015"},
		{`file_store = "filestore-2019"`, `file_store = "filestore-2015"`, "target file store %s/filestore-2015 is the source file store %s/filestore-2015"},
		{`file_store = "filestore-2015"`, `file_store = "filestore-2019/old"`, "source file store %s/filestore-2019/old is inside the target file store %s/filestore-2019"},
	} {
		t.Run(tt.new, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "50")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, tt.old, tt.new)
			before := hashTree(t, est)
			want := strings.ReplaceAll(filepath.FromSlash(tt.want), "%s", est)
			for _, args := range [][]string{{"run", "--estate", estFile, "--fresh"}, {"run", "--estate", estFile, "--dry-run"}} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, want, "give each pool a folder of its own")
				if strings.Contains(stdout, "Step 1") {
					t.Errorf("pcmig %s ran steps:\n%s", strings.Join(args, " "), stdout)
				}
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
			}
		})
	}
}
