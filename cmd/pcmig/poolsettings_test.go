package main

import (
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/fsguard"
)

// TestCarrySettingsRefusesHugeFile runs pool.carry_settings on a lab
// estate whose pool-settings.json is one byte over the limit (a sparse
// file): the run fails naming the file and the limit, and nothing in the
// estate changes. pool-settings.json was read whole, however large.
func TestCarrySettingsRefusesHugeFile(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	settings := filepath.Join(est, "pool-settings.json")
	if err := os.Truncate(settings, fsguard.MaxPoolSettings+1); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "carry.lua")
	writeFile(t, script, "local pool = require(\"pool\")\nstep(\"carry\", function() pool.carry_settings(\"source\", \"target\") end)\n")
	before := hashTree(t, est, ".pcmig")
	_, stderr, code := runCmd(t, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	if code != exitError {
		t.Errorf("exit %d, want %d\nstderr: %s", code, exitError, stderr)
	}
	mustContain(t, "stderr", stderr, settings, "file too large", "at most "+strconv.Itoa(fsguard.MaxPoolSettings))
	if strings.Contains(stderr, "JSON") {
		t.Errorf("the file was parsed:\n%s", stderr)
	}
	if after := hashTree(t, est, ".pcmig"); !maps.Equal(before, after) {
		t.Errorf("the estate changed:\nbefore %v\nafter  %v", before, after)
	}
}
