package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestOtherScriptsJournalSaysHowToKeepIt: a run of my.lua after a finished
// run of the bundled migrate.lua on the same estate is refused; the
// refusal said "use another journal file", which no option of pcmig run
// gives. It now names the means (another state folder in a copy of the
// estate file), which works, and says what --fresh would discard.
func TestOtherScriptsJournalSaysHowToKeepIt(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	dir := t.TempDir()
	first := writeScript(t, dir, "first.lua", `step("alpha", function() end)`)
	second := writeScript(t, dir, "second.lua", `step("beta", function() print("beta runs") end)`)
	mustRun(t, 0, "run", first, "--estate", estFile)
	_, stderr := mustRun(t, 1, "run", second, "--estate", estFile)
	mustContain(t, "the refusal", stderr, "belongs to script "+first+", not "+second+" (its run finished: --fresh replaces it with this run's)",
		"run "+second+" with another state folder: a copy of the estate file whose state names another folder")
	if strings.Contains(stderr, "another journal file") {
		t.Errorf("the refusal names a journal file option pcmig does not have:\n%s", stderr)
	}
	copyFile := filepath.Join(est, "estate-second.lua")
	src := string(readFile(t, estFile))
	edited := strings.Replace(src, `state = ".pcmig"`, `state = ".pcmig-second"`, 1)
	if edited == src {
		t.Fatal("the lab estate has no state line to edit")
	}
	writeFile(t, copyFile, edited)
	stdout, _ := mustRun(t, 0, "run", second, "--estate", copyFile)
	mustContain(t, "the run with its own state folder", stdout, "beta runs")
}
