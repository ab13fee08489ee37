package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEstateNamesOfMegabytesAreRefused: an estate whose name, site or
// source name is longer than 256 characters is refused when it is loaded,
// naming the field, its line and the length, never the value. Before, a
// name of 60 MiB (within the estate's 64 MiB bound) was taken: the dry
// run printed it whole ("Dry run of migrate.lua on estate "nnn..."), 63 MB
// on the console, and every plan, report and runbook would hold it.
func TestEstateNamesOfMegabytesAreRefused(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	data, err := os.ReadFile(filepath.Join(dir, "estate.lua"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for _, tc := range []struct{ field, from, to string }{
		{"name", `name = "Contoso lab"`, `name = string.rep("n", 1000000)`},
		{"site", `site = "Redmond"`, `site = string.rep("s", 257)`},
	} {
		t.Run(tc.field, func(t *testing.T) {
			if !strings.Contains(src, tc.from) {
				t.Fatalf("the lab's estate.lua has no %s", tc.from)
			}
			est := filepath.Join(dir, "long-"+tc.field+".lua")
			writeFile(t, est, strings.Replace(src, tc.from, tc.to, 1))
			stdout, stderr, code := runCmd(t, "run", "--estate", est, "--dry-run")
			if code != exitError {
				t.Fatalf("exit %d, want %d\nstderr: %.2000s", code, exitError, stderr)
			}
			mustContain(t, "stderr", stderr, ": "+tc.field+": ", "characters, more than 256")
			if n := len(stdout) + len(stderr); n > 4096 {
				t.Errorf("the refusal printed %d bytes, want at most 4096:\n%.1000s", n, stdout+stderr)
			}
			if strings.Contains(stdout+stderr, "nnnnnnnnnn") || strings.Contains(stdout+stderr, "ssssssssss") {
				t.Errorf("the output quotes the value:\n%.1000s", stdout+stderr)
			}
		})
	}
}
