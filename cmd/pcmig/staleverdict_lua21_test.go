package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunThatWritesAfterItsReconciliation runs a script that reconciles
// the migrated target (EQUAL) and then removes one of its rooms: the
// report's verdict no longer covers the target, so its first screen does
// not say "Migration complete" (UNVERIFIED, naming the change), the JSON
// lists the changes made after the reconciliation, and pcmig warns. The
// report said EQUAL, "Migration complete: the target holds what the
// source had", while pcmig verify said DIFFERENT.
func TestRunThatWritesAfterItsReconciliation(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	script := filepath.Join(t.TempDir(), "stale.lua")
	writeFile(t, script, `local verify, room = require("verify"), require("room")
step("reconcile", function() print(verify.run("source", "target").verdict) end)
step("remove a room", function() room.remove("target", room.list("target")[1].name) end)
`)
	html, js := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.json")
	stdout, stderr := mustRun(t, 0, "run", script, "--estate", est, "--fresh", "--report", js)
	mustContain(t, "stdout", stdout, "EQUAL")
	mustContain(t, "stderr", stderr, "warning: the run made 1 change after its reconciliation", `step "remove a room": room.remove`, "pcmig verify")
	var rep struct {
		Reconciliation struct{ Verdict string } `json:"reconciliation"`
		After          []struct{ Op string }    `json:"changes_after_reconciliation"`
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	decodeJSON(t, data, &rep)
	if rep.Reconciliation.Verdict != "EQUAL" || len(rep.After) != 1 || rep.After[0].Op != "remove" {
		t.Errorf("report: verdict %q, changes after it %+v; want EQUAL and the room.remove", rep.Reconciliation.Verdict, rep.After)
	}
	// The room is gone now: reconcile and remove another, for the page.
	mustRun(t, 0, "run", script, "--estate", est, "--fresh", "--report", html)
	data, err = os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	if strings.Contains(page, "Migration complete") {
		t.Errorf("the page says the migration is complete")
	}
	mustContain(t, "the page", page, "UNVERIFIED")
	// A script that writes nothing after its reconciliation keeps its
	// verdict: the bundled script, run again.
	_, stderr = mustRun(t, 0, "run", "--estate", est, "--fresh", "--report", js)
	if strings.Contains(stderr, "after its reconciliation") {
		t.Errorf("the bundled script's run warns:\n%s", stderr)
	}
}
