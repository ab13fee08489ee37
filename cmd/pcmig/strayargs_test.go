package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStrayArgumentsAreRefused: every command refuses arguments beyond
// those its usage line names (a mistyped option, a value without its
// option) with exit 64 and a line naming the stray argument, before it
// reads or writes anything.
func TestStrayArgumentsAreRefused(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	zip := exportArchive(t, est)
	tgt := "sqlite:" + filepath.Join(est, "target-2019.db")
	src := "sqlite:" + filepath.Join(est, "source-2015.db")
	estFile := filepath.Join(est, "estate.lua")
	tests := [][]string{
		{"import", "--db", tgt, "--file", zip, "--dry-run", "extra"},
		{"import", "--db", tgt, "--file", zip, "extra"},
		{"doctor", "--db", tgt, "extra"},
		{"export", "--db", src, "--file", filepath.Join(est, "new.zip"), "extra"},
		{"inventory", "--db", src, "extra"},
		{"verify", "--estate", estFile, "extra"},
		{"topology", "show", "--file", filepath.Join(est, "topology.xml"), "extra"},
		{"scripts", "list", "extra"},
		{"demo", "--dir", filepath.Join(t.TempDir(), "demo"), "extra"},
		{"bench", "--messages", "0", "extra"},
		{"inspect", zip, "extra"},
		{"validate", "migrate.lua", "extra"},
		{"scripts", "show", "migrate.lua", "extra"},
		{"lab", "init", filepath.Join(t.TempDir(), "lab"), "extra"},
		{"run", "--estate", estFile, "--dry-run", "migrate.lua", "extra"},
	}
	before := hashTree(t, est)
	for _, args := range tests {
		stdout, stderr, code := runCmd(t, args...)
		if code != exitUsage {
			t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exitUsage, stdout, stderr)
			continue
		}
		mustContain(t, "stderr", stderr, `"extra"`)
		if strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("pcmig %s: want one line on stderr and nothing on stdout\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), stdout, stderr)
		}
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused commands changed the estate (-before +after):\n%s", diff)
	}
}
