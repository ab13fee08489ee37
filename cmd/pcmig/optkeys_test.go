package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunRefusesUnknownOptionKeysAtRuntime: options built where validate
// cannot see their keys (a table made elsewhere, a computed key) are
// checked when the function is called, before it does anything: a typed
// argument error that pcall can catch, naming the function, the key and
// the nearest known key; no archive is written.
func TestRunRefusesUnknownOptionKeysAtRuntime(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	script := filepath.Join(t.TempDir(), "late.lua")
	writeFile(t, script, `local export = require("export")
local o = { file = "x.zip" }
o["le" .. "vl"] = "Structure"
local ok, err = pcall(export.run, "source", o)
print(ok, type(err), err.kind, err.op, err.message)
export.run("source", o)
`)
	stdout, _ := mustRun(t, 0, "validate", script)
	if !strings.HasSuffix(stdout, ": ok\n") {
		t.Errorf("validate = %q: the keys are not constants, so validate leaves them to the run", stdout)
	}
	before := hashTree(t, est)
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), script)
	if code != exitError {
		t.Errorf("run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stdout", stdout, "false\tuserdata\targument\texport.run\toption levl is not known; did you mean level?")
	mustContain(t, "stderr", stderr, "late.lua:6: export.run: argument: option levl is not known; did you mean level?")
	if _, err := os.Stat(filepath.Join(est, "x.zip")); err == nil {
		t.Error("an archive was written")
	}
	after := hashTree(t, est, ".pcmig")
	delete(before, ".pcmig/")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the run changed the estate (-before +after):\n%s", diff)
	}
}
