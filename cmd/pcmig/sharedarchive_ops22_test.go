package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunNeverImportsAnArchiveAnotherRunWroteOver: two estates name one
// archive file (two operators, each with an estate file of their own). A
// run of estate A exports and pauses before its import; a run of estate B,
// another pool, runs meanwhile and exports over the archive. Before, A's
// import then imported B's rooms and messages into A's target (exit 1
// only at the reconciliation, with A's topology switched and users moved
// on the way). Now A's import refuses the archive, naming both exports,
// and writes nothing; --resume refuses it too (the journal keeps which
// archive the export wrote), and --fresh exports again and finishes.
func TestRunNeverImportsAnArchiveAnotherRunWroteOver(t *testing.T) {
	t.Parallel()
	a := labEstate(t, "--messages", "120")
	b := labEstate(t, "--seed", "2", "--messages", "70")
	estA, estB := filepath.Join(a, "estate.lua"), filepath.Join(b, "estate.lua")
	shared := filepath.ToSlash(filepath.Join(a, "archive", "pchat-2015.zip"))
	text := string(readFile(t, estB))
	if !strings.Contains(text, `archive = "archive/pchat-2015.zip"`) {
		t.Fatal("the lab estate names another archive")
	}
	writeFile(t, estB, strings.Replace(text, `archive = "archive/pchat-2015.zip"`, fmt.Sprintf("archive = %q", shared), 1))

	steps := migrateSteps(t)
	header := fmt.Sprintf("== Step 2/%d: %s ==", len(steps), steps[1])
	gate := filepath.Join(t.TempDir(), "go")
	c := startChildEnv(t, []string{childPauseEnv + "=" + header + "|" + gate}, "run", "--estate", estA)
	c.waitFor(t, header, time.Minute)
	if out, errOut, code := runChild(t, "run", "--estate", estB, "--allow-path", a); code != 0 {
		t.Fatalf("the run of estate B: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	writeFile(t, gate, "")
	stdout, stderr, code := c.finish(t)
	if code != exitError {
		t.Errorf("estate A's run after B wrote over its archive: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	srcA := "sqlite:" + filepath.Join(a, "source-2015.db")
	srcB := "sqlite:" + filepath.Join(b, "source-2015.db")
	mustContain(t, "stderr", stderr, "is not the one this run exported", srcB, "70 messages", srcA, "120 messages", "nothing was imported", "--fresh")
	if strings.Contains(stdout, fmt.Sprintf("== Step 3/%d", len(steps))) {
		t.Errorf("estate A's run went on past its import:\n%s", stdout)
	}
	target := filepath.Join(a, "target-2019.db")
	if n := queryInt(t, openDB(t, target), `SELECT COUNT(*) FROM tblChat`); n != 0 {
		t.Errorf("estate A's target holds %d messages after the refused import, want 0", n)
	}

	// The resumed run skips the export, and knows from its journal which
	// archive it wrote.
	_, stderr, code = runChild(t, "run", "--estate", estA, "--resume")
	if code != exitError {
		t.Errorf("--resume: exit %d, want %d\nstderr:\n%s", code, exitError, stderr)
	}
	mustContain(t, "the resumed run's stderr", stderr, "is not the one this run exported", srcB, srcA)
	if n := queryInt(t, openDB(t, target), `SELECT COUNT(*) FROM tblChat`); n != 0 {
		t.Errorf("estate A's target holds %d messages after the refused resume, want 0", n)
	}

	stdout, _ = mustRun(t, 0, "run", "--estate", estA, "--fresh")
	mustContain(t, "the fresh run's stdout", stdout, "EQUAL: 6 of 6 categories, 24 of 24 rooms, 120 of 120 messages")
}
