package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLabCountsAreCommandLineMistakes: README's exit codes say 64 means a
// command-line mistake. A lab count out of range (`pcmig lab init --messages
// 20000000`, `pcmig demo --messages -1` or `0`) is one: exit 64, and nothing
// is created, not even the demo's temporary folder. Before, lab init's upper
// bound and every demo bound were exit 1, the demo left its folder behind,
// and `demo --messages 0` quietly built a lab of the default size.
func TestLabCountsAreCommandLineMistakes(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"lab", "init", "--messages", "20000000"},
		{"lab", "init", "--users", "10000001"},
		{"demo", "--messages", "-1"},
		{"demo", "--messages", "0"},
		{"demo", "--messages", "20000000"},
	} {
		dir := filepath.Join(t.TempDir(), "lab")
		a := append([]string{}, args...)
		if a[0] == "demo" {
			a = append(a, "--dir", dir)
		} else {
			a = append(a, dir)
		}
		out, stderr, code := runCmd(t, a...)
		if code != exitUsage {
			t.Errorf("pcmig %v: exit %d, want %d\n%s%s", args, code, exitUsage, out, stderr)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("pcmig %v created %s", args, dir)
		}
	}
}
