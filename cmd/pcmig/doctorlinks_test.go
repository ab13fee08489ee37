package main

import (
	"crypto/sha256"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// countFiles counts the regular files under dir (following dir itself if
// it is a symbolic link).
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(real, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hashDBs hashes a lab estate's two databases (hashTree cannot walk a
// folder that holds a dangling link).
func hashDBs(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for _, db := range []string{"source-2015.db", "target-2019.db"} {
		out[db] = sha256.Sum256(readFile(t, filepath.Join(dir, db)))
	}
	return out
}

// TestFileStoreSymlinkRoot: a file store given as a symbolic link to a
// folder counted as empty (filepath.WalkDir does not descend into a root
// that is a link): the doctor said "0 files", the step "copy the uploaded
// files" copied none, and the run failed only at step 10 after steps 1-4
// had written. The link is now followed at the root, for the source and
// the target: the doctor counts the files, the copy copies them into the
// folder the target's link leads to, and the run is EQUAL.
func TestFileStoreSymlinkRoot(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	estFile := filepath.Join(dir, "estate.lua")
	for _, name := range []string{"2015", "2019"} {
		link := filepath.Join(dir, "filestore-"+name)
		if err := os.Rename(link, filepath.Join(dir, "real"+name)); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("real"+name, link); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	files := countFiles(t, filepath.Join(dir, "real2015"))
	if files == 0 {
		t.Fatal("the lab's source file store holds no file")
	}
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "source file store "+filepath.Join(dir, "filestore-2015")+" can be listed: "+strconv.Itoa(files)+" files")

	stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code != 0 {
		t.Fatalf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	mustContain(t, "run output", stdout, strconv.Itoa(files)+" uploaded files", "EQUAL: ")
	if got := countFiles(t, filepath.Join(dir, "real2019")); got != files {
		t.Errorf("the target's folder holds %d files, want %d", got, files)
	}
	if st, err := os.Lstat(filepath.Join(dir, "filestore-2019")); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the target's link was replaced (%v)", err)
	}
}

// TestFileStoreDanglingTarget: a target file store that is a symbolic link
// to nothing passed the doctor ("does not exist yet: the copy creates
// it"), and the run failed at step 3 with "mkdir ...: file exists" after
// the export and the import had written. The doctor now FAILs it, naming
// the link and where it leads, and pcmig run stops before step 1 with both
// databases unchanged; so does a dangling link among the folders above a
// target that does not exist yet.
func TestFileStoreDanglingTarget(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	target := filepath.Join(dir, "filestore-2019")
	if err := os.RemoveAll(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere19", target); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	before := hashDBs(t, dir)

	stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code == 0 || strings.Contains(stdout, "Step 1") {
		t.Errorf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, "FAIL file store: target file store "+target+" is a symbolic link to nowhere19, which does not exist")
	if _, err := os.Stat(filepath.Join(dir, "archive")); !os.IsNotExist(err) {
		t.Errorf("pcmig run wrote the archive folder (%v)", err)
	}
	if after := hashDBs(t, dir); !maps.Equal(before, after) {
		t.Errorf("pcmig run changed the databases:\nbefore %v\nafter  %v", before, after)
	}
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "FAIL  file store      target file store "+target+" is a symbolic link to nowhere19, which does not exist")

	// A dangling link above a target that does not exist yet.
	editEstate(t, estFile, `file_store = "filestore-2019"`, `file_store = "filestore-2019/files"`)
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "FAIL  file store      target file store "+filepath.Join(target, "files")+
		" does not exist, and "+target+", where the copy would create it, is a symbolic link to nowhere19, which does not exist")
}
