package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEstateBuildingTablesWithoutEndIsRefused: an estate file whose loop
// builds small tables without end is refused by run, verify and doctor,
// naming the file and the 64 MiB bound on the memory its evaluation
// holds, well before the estate's 5 s time limit. Before, nothing watched
// the heap while an estate was evaluated (only single blocks of 64 KiB or
// more were weighed): the loop ran its whole 5 s, took 250-400 MB, and
// was refused as "did not finish in time (an endless loop?)".
func TestEstateBuildingTablesWithoutEndIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	est := filepath.Join(dir, "hungry.lua")
	writeFile(t, est, "local t = {}\nlocal i = 0\nwhile true do\n  i = i + 1\n  t[i] = {i, i, {i}}\nend\nreturn {}\n")
	for _, args := range [][]string{
		{"run", "--estate", est, "--dry-run"},
		{"verify", "--estate", est},
		{"doctor", "--estate", est},
	} {
		t.Run(args[0], func(t *testing.T) {
			start := time.Now()
			_, stderr, code := runCmd(t, args...)
			took := time.Since(start)
			if code == 0 {
				t.Fatalf("exit 0, want a refusal\nstderr: %.2000s", stderr)
			}
			mustContain(t, "stderr", stderr, "hungry.lua", "holds more than 64 MiB of memory")
			if strings.Contains(stderr, "did not finish in time") {
				t.Errorf("refused for its time, not its memory:\n%.2000s", stderr)
			}
			// The estate's time limit is 5 s: the memory bound is reached
			// long before (a generous margin for a loaded machine).
			if took >= 5*time.Second {
				t.Errorf("refused after %v, not before the estate's 5 s time limit", took)
			}
		})
	}
}
