package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteOutsideAStepIsWarnedOf: a script that writes outside any step
// (category.create at the top of the script) ran without a word, but the
// journal records steps only: --resume runs the script again and skips only
// finished steps, so the write was made again, here a conflict that stopped
// the resumed run at its first line. The first such write of a real run is
// now warned of (once). The dry run, where an administrator reads the
// plan, was silent and this test asserted it (rev26's review): it now
// says, once, what the real run would do (failed before lua27's change:
// no such line).
func TestWriteOutsideAStepIsWarnedOf(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	est := filepath.Join(dir, "estate.lua")
	script := filepath.Join(t.TempDir(), "outside.lua")
	writeFile(t, script, `local category = require("category")
category.create("target", { name = "Made At The Top" })
category.create("target", { name = "Made At The Top Too" })
step("inside", function() category.create("target", { name = "Made In A Step" }) end)
`)
	_, stderr, code := runCmd(t, "run", script, "--estate", est, "--dry-run")
	if code != 2 {
		t.Fatalf("dry run: exit %d, want 2\nstderr: %s", code, stderr)
	}
	mustContain(t, "dry-run stderr", stderr, `WARN a real run would write category.create pchat19.contoso.com\Made At The Top outside any step: `+
		"the run's journal records steps only, so --resume would write it again")
	if n := strings.Count(stderr, "outside any step"); n != 1 {
		t.Errorf("dry run: %d warnings of writes outside a step, want 1:\n%s", n, stderr)
	}
	_, stderr, code = runCmd(t, "run", script, "--estate", est)
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstderr: %s", code, stderr)
	}
	mustContain(t, "stderr", stderr, `WARN category.create pchat19.contoso.com\Made At The Top was written outside any step`)
	if n := strings.Count(stderr, "outside any step"); n != 1 {
		t.Errorf("%d warnings of writes outside a step, want 1:\n%s", n, stderr)
	}
}
