package main

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunRefusedBeforeStartCreatesNothing: a run refused by a check made
// before the script starts (it does not compile, it names a function a
// module does not have, or it gives a function an option it does not
// take) creates nothing in the estate, not even the state folder that the
// run lock and journal live in.
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
}
