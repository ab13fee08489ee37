package main

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/filelock"
)

// TestRunRefusedBeforeStartCreatesNothing: a run refused by a check made
// before the script starts (it does not compile, it names a function a
// module does not have, or it gives a function an option it does not
// take) creates nothing in the estate, not even the state folder that the
// run lock and journal live in. Nor does a run refused by a lock: another
// process's writer lock on one of the estate's databases (two estates with
// separate state folders naming one database) stops the bundled script
// before its first step, and running it again must not then be refused as
// "an earlier run did not finish".
func TestRunRefusedBeforeStartCreatesNothing(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	before := hashTree(t, est)
	if _, ok := before[".pcmig/"]; ok {
		t.Fatal("the lab estate already has its state folder")
	}
	for _, tc := range []struct{ name, src, want string }{
		{"syntax", "local x = = 1\n", "syntax error"},
		{"field", "require(\"export\").rnu(\"source\", { file = \"x.zip\" })\n", "rnu"},
		{"option", optTypoScript, levlRefused},
	} {
		script := filepath.Join(t.TempDir(), tc.name+".lua")
		writeFile(t, script, tc.src)
		stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), script)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.name, code, exitError, stdout, stderr)
		}
		mustContain(t, tc.name+": stderr", stderr, tc.want)
		if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
			t.Errorf("%s: the refused run changed the estate (-before +after):\n%s", tc.name, diff)
		}
	}

	// Another pcmig run, of an estate with a state folder of its own,
	// writes to this estate's databases: their writer locks, with its
	// record, as that run holds them.
	var held []*filelock.Lock
	for _, db := range []string{"source-2015.db", "target-2019.db"} {
		held = append(held, holdWriterLock(t, filepath.Join(est, db+".pcmig-lock")))
	}
	before = hashTree(t, est)
	for try := range 2 {
		stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"))
		if code != exitError {
			t.Errorf("writer lock, try %d: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", try+1, code, exitError, stdout, stderr)
		}
		mustContain(t, "writer lock: stderr", stderr, "another pcmig process is writing", "wait until it ends, then run this again")
		if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
			t.Errorf("writer lock, try %d: the refused run changed the estate (-before +after):\n%s", try+1, diff)
		}
	}
	for _, lk := range held {
		if err := lk.Release(); err != nil {
			t.Fatal(err)
		}
	}
	// Once the other writer is gone, the run runs as asked: no journal
	// stands in its way.
	mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"))
}
