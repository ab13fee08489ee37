package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// nullNote is the part of verify's note of a source category holding
// NULL settings that each such note has once.
const nullNote = "NULL in the source, which verify reads as off"

// TestRunVerifyNotesAreSummarised: a lab whose 6 source categories all
// hold NULL in invite and filePost, migrated with migrate.lua. Its
// reconcile step logged every verify note at info (one line of about 330
// characters per category: a pool of thousands of such categories printed
// thousands of lines; the per-step console budget caps only warnings and
// errors). Now the step shows the first 3 of each kind, then how many
// there are and where every one is; the report keeps every one, and
// --log-level debug prints them all.
func TestRunVerifyNotesAreSummarised(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	labtest.ExecSQLite(t, filepath.Join(dir, "source-2015.db"),
		`UPDATE tblNode SET invite = NULL, filePost = NULL WHERE nodeType = 1 AND nodeID <> parentID`)
	rep := filepath.Join(dir, "run.json")
	est := filepath.Join(dir, "estate.lua")
	_, stderr := mustRun(t, 0, "run", "--estate", est, "--report", rep)
	if n := strings.Count(stderr, nullNote); n != 3 {
		t.Errorf("the run printed %d NULL-settings notes, want 3:\n%s", n, stderr)
	}
	mustContain(t, "run", stderr,
		"INFO ... 6 notes of source categories holding NULL settings, read as off in all (3 more not shown): the report lists every one, --log-level debug prints them here")
	var r struct {
		Reconciliation struct {
			Notes []string `json:"notes"`
		} `json:"reconciliation"`
	}
	if err := json.Unmarshal(readFile(t, rep), &r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(r.Reconciliation.Notes, "\n"), nullNote); n != 6 {
		t.Errorf("the report holds %d NULL-settings notes, want 6: %q", n, r.Reconciliation.Notes)
	}

	_, stderr = mustRun(t, 0, "run", "--estate", est, "--fresh", "--log-level", "debug")
	if n := strings.Count(stderr, nullNote); n != 6 {
		t.Errorf("--log-level debug: the run printed %d NULL-settings notes, want 6:\n%s", n, stderr)
	}
	if strings.Contains(stderr, "notes of source categories holding NULL settings") {
		t.Errorf("--log-level debug: a summary line:\n%s", stderr)
	}
}

// TestMultipoolVerifyNotesAreSummarised: the same with multipool.lua,
// two sources, the first's 6 categories holding NULL settings (the
// second's are merged into them: no note): it logged all 6 notes, and
// each of the 15 notes of rooms holding messages besides a source's.
func TestMultipoolVerifyNotesAreSummarised(t *testing.T) {
	t.Parallel()
	est, _, _ := sharedSources(t)
	dir := filepath.Dir(est)
	labtest.ExecSQLite(t, filepath.Join(dir, "source-2015.db"),
		`UPDATE tblNode SET invite = NULL, filePost = NULL WHERE nodeType = 1 AND nodeID <> parentID`)
	_, stderr := mustRun(t, 0, "run", "multipool", "--estate", est)
	if n := strings.Count(stderr, nullNote); n != 3 {
		t.Errorf("multipool printed %d NULL-settings notes, want 3:\n%s", n, stderr)
	}
	mustContain(t, "multipool", stderr,
		"INFO ... 6 notes of source categories holding NULL settings, read as off in all (3 more not shown): --report FILE.html lists every one, --log-level debug prints them here",
		"INFO ... 15 notes of rooms holding messages besides this source's (not compared) in all (12 more not shown)")
	if n := strings.Count(stderr, "that arrived after this source's import"); n != 3 {
		t.Errorf("multipool printed %d notes of rooms holding messages besides, want 3:\n%s", n, stderr)
	}
}

// TestVerifyDifferencesAreSummarised: a migrated lab whose 24 target
// rooms were given another description. 'pcmig verify' printed every
// difference, one line each (a pool of thousands of rooms: thousands of
// lines); now it shows the first 10 of each kind, then how many there are
// and where every one is, as it does for its notes; the JSON and the
// report keep every one.
func TestVerifyDifferencesAreSummarised(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	labtest.ExecSQLite(t, filepath.Join(dir, "target-2019.db"), `UPDATE tblNode SET nodeDesc = 'changed' WHERE nodeType = 0`)
	rooms := queryInt(t, openDB(t, filepath.Join(dir, "target-2019.db")), `SELECT COUNT(*) FROM tblNode WHERE nodeType = 0`)
	if rooms <= 11 {
		t.Fatalf("the lab has %d rooms, want more than 11", rooms)
	}
	const each = `in the source, "changed" in the target`
	rep := filepath.Join(dir, "verify.json")
	stdout, _ := mustRun(t, exitDifferent, "verify", "--estate", est, "--report", rep)
	if n := strings.Count(stdout, each); n != 10 {
		t.Errorf("verify printed %d description differences, want 10:\n%s", n, stdout)
	}
	mustContain(t, "verify", stdout,
		"difference: ... "+itoa(rooms)+" differences of categories' and rooms' settings in all ("+itoa(rooms-10)+" more not shown): the report lists every one",
		"DIFFERENT: "+itoa(rooms)+" differences")
	var res struct {
		Differences []struct{ Text string } `json:"differences"`
	}
	decodeJSON(t, readFile(t, rep), &res)
	if len(res.Differences) != int(rooms) {
		t.Errorf("the report holds %d differences, want %d", len(res.Differences), rooms)
	}
	stdout, _ = mustRun(t, exitDifferent, "verify", "--estate", est)
	mustContain(t, "verify without --report", stdout, "more not shown): --report FILE.html lists every one")
	stdout, _ = mustRun(t, exitDifferent, "verify", "--estate", est, "--json")
	res.Differences = nil
	decodeJSON(t, []byte(stdout), &res)
	n := 0
	for _, d := range res.Differences {
		if strings.Contains(d.Text, each) {
			n++
		}
	}
	if n != int(rooms) {
		t.Errorf("verify --json holds %d description differences, want %d", n, rooms)
	}
}
