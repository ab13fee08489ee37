package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestResumeAfterTheEstateMovedRemovesTheKilledCopysTemporaryFiles: a run
// stopped in step 3 while it copied the file store, its estate folder then
// moved (the target's file store and the state folder inside it), is
// resumed from the new place: the temporary files the stopped copy left in
// the target store (a kill leaves them; they carry the token the ledger
// recorded) are removed, no file is copied twice, the ledger is left
// empty, and the target store holds exactly the source's files. Before,
// the ledger named the store by its old absolute path: the resumed copy
// passed its entry over and the temporary files stayed in the pool's file
// store for good.
func TestResumeAfterTheEstateMovedRemovesTheKilledCopysTemporaryFiles(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src := filepath.Join(dir, "filestore-2015")
	if err := os.MkdirAll(filepath.Join(src, "bulk"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		writeFile(t, filepath.Join(src, "bulk", fmt.Sprintf("f%03d.bin", i)), strings.Repeat(strconv.Itoa(i), 500))
	}
	code, stdout, stderr := runCancelledAt(t, "%)", "run", "--estate", filepath.Join(dir, "estate.lua"))
	if code != exitError {
		t.Fatalf("stopped run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var es []struct{ Store, Token string }
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, ".pcmig", "file-copies.json")), &es); err != nil || len(es) != 1 {
		t.Fatalf("ledger after the stopped copy: %v, %v; want one entry", es, err)
	}
	// What a kill (not a Ctrl-C, which removes them) leaves: temporary
	// files named with the copy's token.
	left := []string{"bulk/.f198.bin.pcmig-copy-" + es[0].Token, "bulk/.f199.bin.pcmig-copy-" + es[0].Token + "-1"}
	for _, rel := range left {
		writeFile(t, filepath.Join(dir, "filestore-2019", rel), "half a file")
	}
	moved := dir + "-moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}

	stdout, _ = mustRun(t, 0, "run", "--estate", filepath.Join(moved, "estate.lua"), "--resume")
	mustContain(t, "resumed run", stdout, "EQUAL")
	for _, rel := range left {
		if _, err := os.Lstat(filepath.Join(moved, "filestore-2019", rel)); !os.IsNotExist(err) {
			t.Errorf("the stopped copy's temporary file %s is still in the target store after the resume: %v", rel, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(moved, ".pcmig", "file-copies.json")); err == nil {
		t.Errorf("the ledger of file copies is left after the resumed copy succeeded:\n%s", b)
	}
	want, got := hashTree(t, filepath.Join(moved, "filestore-2015")), hashTree(t, filepath.Join(moved, "filestore-2019"))
	if len(want) != len(got) {
		t.Errorf("after resuming, the target store holds %d entries, the source %d", len(got), len(want))
	}
	for name, sum := range want {
		if got[name] != sum {
			t.Errorf("after resuming, %s differs or is missing in the target", name)
		}
	}
}
