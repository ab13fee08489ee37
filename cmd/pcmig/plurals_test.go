package main

import (
	"path/filepath"
	"regexp"
	"testing"
)

// onePlural finds a count of one before a plural noun ("1 creators",
// "(1 messages)", "1 of 1 rooms"); a count is a number not preceded by
// another digit, a dot or a comma.
var onePlural = regexp.MustCompile(`(^|[^0-9.,])1 (of 1 )?(new )?[a-zA-Z-]+(s|ies)\b`)

// notPlural are words ending in s that are not plurals.
var notPlural = regexp.MustCompile(`1 (of 1 )?(is|was|has|does)\b`)

// TestOutputsSayOneInTheSingular: a lab of one category, one room and one
// message goes through every command that prints counts (the dry run's
// plan, the run, verify, doctor, inventory, import on its own): no line
// says "1 creators", "1 managers" or "1 of 1 rooms".
func TestOutputsSayOneInTheSingular(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--categories", "1", "--rooms", "1", "--messages", "1")
	estFile := filepath.Join(dir, "estate.lua")
	var out string
	add := func(want int, args ...string) {
		stdout, stderr, code := runCmd(t, args...)
		if code != want {
			t.Fatalf("pcmig %v: exit %d, want %d\n%s\n%s", args, code, want, stdout, stderr)
		}
		out += stdout + stderr
	}
	zip := filepath.Join(t.TempDir(), "a.zip")
	add(0, "export", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--file", zip)
	other := filepath.Join(t.TempDir(), "copy") // a target of its own for import on its own
	copyDir(t, dir, other)
	add(2, "import", "--db", "sqlite:"+filepath.Join(other, "target-2019.db"), "--file", zip, "--dry-run")
	add(0, "import", "--db", "sqlite:"+filepath.Join(other, "target-2019.db"), "--file", zip)
	add(2, "run", "--estate", estFile, "--dry-run")
	add(0, "run", "--estate", estFile)
	add(0, "verify", "--estate", estFile)
	add(0, "doctor", "--estate", estFile)
	add(0, "inventory", "--db", "sqlite:"+filepath.Join(dir, "target-2019.db"))
	for _, m := range onePlural.FindAllString(out, -1) {
		if !notPlural.MatchString(m) {
			t.Errorf("a count of one with a plural: %q", m)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}
