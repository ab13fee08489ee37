package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunOfHugeErrorAndLogMessages raises errors and logs messages of
// megabytes (error(string.rep(...)), pcmig.raise, log.warn), in a step and
// outside one: each is shown, reported and journaled cut to its first
// 16 KiB, saying how much was left out. The whole text went to the
// console (twice for a step), the report and the journal: an 8 MiB error
// made 16 MiB of console output and an 8 MiB journal, and one of 50 MiB
// took 16 s, past a --timeout of 5 s, which then replaced the script's
// error with "time limit of 5s exceeded".
func TestRunOfHugeErrorAndLogMessages(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	est := filepath.Join(dir, "estate.lua")
	const limit = 64 << 10 // what any one output may hold, well above the 16 KiB of a message
	for _, tc := range []struct{ name, src, want string }{
		{"error in a step", `step("big", function() error(string.rep("x", 8 * 1024 * 1024)) end)`, "more bytes of the message not shown"},
		{"error outside a step", `error(string.rep("y", 8 * 1024 * 1024) .. "END")`, "more bytes of the message not shown"},
		{"pcmig.raise", `step("big", function() require("pcmig").raise("validation", "%s", string.rep("z", 8 * 1024 * 1024)) end)`, "validation: zzz"},
		{"log.warn", `step("big", function() require("log").warn("%s", string.rep("w", 8 * 1024 * 1024)) end)`, "WARN www"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "huge.lua")
			writeFile(t, script, tc.src)
			report := filepath.Join(t.TempDir(), "r.json")
			stdout, stderr, code := runCmd(t, "run", script, "--estate", est, "--fresh", "--report", report, "--timeout", "2m")
			if tc.name == "log.warn" {
				if code != 0 {
					t.Fatalf("exit %d, want 0\nstderr: %.2000s", code, stderr)
				}
			} else if code != 1 {
				t.Fatalf("exit %d, want 1\nstderr: %.2000s", code, stderr)
			}
			mustContain(t, "stderr", stderr, tc.want)
			if strings.Contains(stderr, "time limit") {
				t.Errorf("stderr names the time limit:\n%.500s", stderr)
			}
			data, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			sizes := map[string]int{"stdout": len(stdout), "stderr": len(stderr), "report": len(data)}
			if j, err := os.ReadFile(filepath.Join(dir, ".pcmig", "run-journal.json")); err == nil {
				sizes["journal"] = len(j)
			}
			for what, n := range sizes {
				if n > limit {
					t.Errorf("%s holds %d bytes, want at most %d", what, n, limit)
				}
			}
		})
	}
}
