package main

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestGsubOfLargeReplacementsStopsAtTheMemoryBound: an estate file or a
// script whose string.gsub puts a large replacement in place of each of
// many matches (a string, a table's value, a function's result, or a
// replacement repeating %0) is refused at the memory bound, naming it,
// having allocated little more than that bound. Before, gsub kept every
// replacement until the end and asked the memory check only when it joined
// them: ("a"):rep(1e6):gsub("a", s) of a string s of a megabyte, in an
// estate file or in a script run with --memory-limit, grew pcmig past
// 4 GB (stopped only by a ulimit) and took minutes to end after its time
// limit; here, at a size the test can afford, each case allocated 0.5 to
// 1 GB before it was refused.
//
// Not parallel: it weighs the bytes the process allocates while pcmig runs.
func TestGsubOfLargeReplacementsStopsAtTheMemoryBound(t *testing.T) {
	dir := labEstate(t, "--messages", "50")
	est := filepath.Join(dir, "estate.lua")
	const bomb = `local big = ("b"):rep(2^16)
local s = ("a"):rep(%N%)
`
	cases := []struct{ name, expr string }{
		{"a string", `s:gsub("a", big)`},
		{"a table's value", `s:gsub("a", {a = big})`},
		{"a function's result", `s:gsub("a", function() return big end)`},
		{"a replacement repeating the match", `s:gsub(".+", ("%0"):rep(2^16))`},
	}
	for _, tc := range cases {
		t.Run("estate/"+tc.name, func(t *testing.T) {
			file := filepath.Join(dir, "gsub-"+strings.ReplaceAll(tc.name, " ", "-")+".lua")
			writeFile(t, file, strings.ReplaceAll(bomb, "%N%", "4096")+"local r = "+tc.expr+"\nreturn {}\n")
			var code int
			var stderr string
			alloc := allocated(func() { _, stderr, code = runCmd(t, "run", "--estate", file, "--dry-run") })
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstderr: %.2000s", code, stderr)
			}
			mustContain(t, "stderr", stderr, "asks for more than 64 MiB of memory")
			if alloc > 120<<20 {
				t.Errorf("evaluating the estate allocated %d MiB, want at most 120 MiB (its bound is 64 MiB)", alloc>>20)
			}
		})
	}
	for _, tc := range cases {
		t.Run("script/"+tc.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "gsub.lua")
			writeFile(t, script, strings.ReplaceAll(bomb, "%N%", "8192")+"local r = "+tc.expr+"\n")
			var code int
			var stderr string
			alloc := allocated(func() {
				_, stderr, code = runCmd(t, "run", script, "--estate", est, "--dry-run", "--memory-limit", "128MiB")
			})
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstderr: %.2000s", code, stderr)
			}
			mustContain(t, "stderr", stderr, "memory limit of 128 MiB exceeded")
			if alloc > 200<<20 {
				t.Errorf("the run allocated %d MiB, want at most 200 MiB (its limit is 128 MiB)", alloc>>20)
			}
		})
	}
}

// allocated returns the bytes the process allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
