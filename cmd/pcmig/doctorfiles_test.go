package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/store"
)

// fileStoreLines are the "file store" lines of pcmig doctor --estate
// --json, by report role.
func fileStoreLines(t *testing.T, out string) map[string]store.DoctorCheck {
	t.Helper()
	var reports []store.DoctorReport
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	lines := map[string]store.DoctorCheck{}
	for _, r := range reports {
		for _, c := range r.Checks {
			if c.Check == "file store" {
				lines[r.Role] = c
			}
		}
	}
	return lines
}

// TestDoctorFileStoreMissing: a source file store that is gone was found
// only by the step "copy the uploaded files", after the export had written
// the archive and the import the target database. The doctor now FAILs it
// (exit 1), naming the folder, and the bundled script's pre-flight stops
// pcmig run before step 1 with both databases as they were and no archive.
func TestDoctorFileStoreMissing(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	gone := filepath.Join(dir, "filestore-2015")
	if err := os.Rename(gone, filepath.Join(dir, "fs-gone")); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, dir, ".pcmig")

	stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code == 0 {
		t.Errorf("pcmig run: exit 0 with the source file store gone\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	if strings.Contains(stdout, "Step 1") {
		t.Errorf("pcmig run ran steps:\n%s", stdout)
	}
	mustContain(t, "stderr", stderr, "FAIL file store: source file store "+gone+" does not exist")
	if _, err := os.Stat(filepath.Join(dir, "archive")); !os.IsNotExist(err) {
		t.Errorf("pcmig run wrote the archive folder (%v)", err)
	}
	after := hashTree(t, dir, ".pcmig")
	for _, db := range []string{"source-2015.db", "target-2019.db"} {
		if before[db] == "" || before[db] != after[db] {
			t.Errorf("pcmig run changed %s", db)
		}
	}

	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "FAIL  file store      source file store "+gone+" does not exist")
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile, "--json")
	if c := fileStoreLines(t, stdout)[store.RoleSource]; c.Status != store.DoctorFail || !strings.Contains(c.Message, gone) {
		t.Errorf("source file store line: %+v", c)
	}
}

// TestDoctorFileStoreHealthy: a lab estate's file stores are OK, the
// source's with what it holds, and a target that does not exist yet is OK
// when the copy can create it (pool.copy_files makes it with its parents);
// checking the target's leaves nothing behind.
func TestDoctorFileStoreHealthy(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	before := hashTree(t, dir)
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout,
		"OK    file store      source file store "+filepath.Join(dir, "filestore-2015")+" can be listed: ",
		"OK    file store      target file store "+filepath.Join(dir, "filestore-2019")+" is a folder that can be written")
	if !strings.Contains(stdout, " files, ") || strings.Contains(stdout, "at least") {
		t.Errorf("the source's line does not count its files:\n%s", stdout)
	}
	after := hashTree(t, dir)
	if len(after) != len(before) {
		t.Errorf("doctor left files behind: %d entries before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("doctor changed %s", k)
		}
	}

	editEstate(t, estFile, `file_store = "filestore-2019"`, `file_store = "new/files-2019"`)
	stdout, _ = mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "OK    file store      target file store "+filepath.Join(dir, "new", "files-2019")+
		" does not exist yet: the copy creates it in "+dir)
	if _, err := os.Stat(filepath.Join(dir, "new")); !os.IsNotExist(err) {
		t.Errorf("doctor created the target's folder (%v)", err)
	}

	// A file where the target's folder should be, or its parent, FAILs.
	writeFile(t, filepath.Join(dir, "new"), "")
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "FAIL  file store      target file store "+filepath.Join(dir, "new", "files-2019"))
}

// TestDoctorFileStoreUnwritable: a target file store the account cannot
// write into (chmod 0500) FAILs, naming the folder and the reason, and
// stops pcmig run before step 1; a source folder it cannot list FAILs too.
// Root is not refused by permissions: the test is skipped as root.
func TestDoctorFileStoreUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions do not refuse root")
	}
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	target := filepath.Join(dir, "filestore-2019")
	if err := os.Chmod(target, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(target, 0o755) })
	stdout, _ := mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "FAIL  file store      target file store "+target+" cannot be written: permission denied")
	stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code == 0 || strings.Contains(stdout, "Step 1") {
		t.Errorf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "archive")); !os.IsNotExist(err) {
		t.Errorf("pcmig run wrote the archive folder (%v)", err)
	}
	if err := os.Chmod(target, 0o755); err != nil {
		t.Fatal(err)
	}

	source := filepath.Join(dir, "filestore-2015")
	if err := os.Chmod(source, 0o300); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(source, 0o755) })
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "FAIL  file store      source file store "+source+" cannot be listed: permission denied")
}

// TestDoctorFileStoreShare: a real estate's file store given as a UNC
// share cannot be reached from a host that is not Windows: the line is N/A
// and says the runbook's robocopy copies it.
func TestDoctorFileStoreShare(t *testing.T) {
	if filepath.Separator == '\\' {
		t.Skip("on Windows a share is checked like a folder")
	}
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	editEstate(t, estFile, `kind = "lab"`, `kind = "real"`)
	editEstate(t, estFile, `file_store = "filestore-2015"`, `file_store = [[\\fs15.contoso.com\pchat]]`)
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile, "--json")
	lines := fileStoreLines(t, stdout)
	if c := lines[store.RoleSource]; c.Status != store.DoctorNA || !strings.Contains(c.Message, `\\fs15.contoso.com\pchat`) ||
		!strings.Contains(c.Message, "the runbook copies it with robocopy") {
		t.Errorf("source share line: %+v", c)
	}
	if c := lines[store.RoleTarget]; c.Status != store.DoctorOK {
		t.Errorf("target folder line of a real estate: %+v", c)
	}
}

// TestDryRunDoesNotProbeTheFileStore: a dry run writes nothing anywhere,
// not even the doctor's test file in the target's file store, created and
// removed at once (which moves the folder's modification time); the real
// run's doctor still tries it before the first write.
func TestDryRunDoesNotProbeTheFileStore(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	target := filepath.Join(dir, "filestore-2019")
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(target, old, old); err != nil {
		t.Fatal(err)
	}
	mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run")
	st, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if !st.ModTime().Equal(old) {
		t.Errorf("the dry run wrote in the target's file store %s (modified %v)", target, st.ModTime())
	}
}

// TestRunWithoutAFileStoreStopsBeforeStep1: a lab estate whose source pool
// names no file store is refused before the first write (it was found at
// step 3, after the export and the import had written).
func TestRunWithoutAFileStoreStopsBeforeStep1(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	editEstate(t, estFile, `file_store = "filestore-2015",`, ``)
	before := hashTree(t, dir)
	_, stderr := mustRun(t, exitError, "run", "--estate", estFile)
	mustContain(t, "run without a source file store", stderr, "the source pool pchat15.contoso.com has no file_store in the estate")
	after := hashTree(t, dir)
	for _, name := range []string{"source-2015.db", "target-2019.db"} {
		if before[name] == "" || before[name] != after[name] {
			t.Errorf("%s changed (or was not found)", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "archive")); !os.IsNotExist(err) {
		t.Errorf("an archive folder was written (%v)", err)
	}
}
