package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// probeRooms counts the rooms named as pcmig's probe room.
func probeRooms(t *testing.T, dbPath string) int {
	t.Helper()
	return int(queryInt(t, openDB(t, dbPath), `SELECT COUNT(*) FROM tblNode WHERE nodeName = 'pcmig probe room'`))
}

// TestRunRemovesItsOwnLeftoverProbeRoom leaves the probe room of step 9 in
// the target, as a kill between creating and removing it does (a trigger
// refuses its removal), and runs again: --resume and --fresh both remove
// pcmig's own leftover first and complete. Before, both stopped for good
// with "room "pcmig probe room" already exists".
func TestRunRemovesItsOwnLeftoverProbeRoom(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	est, target := filepath.Join(dir, "estate.lua"), filepath.Join(dir, "target-2019.db")
	keep := `CREATE TRIGGER probe_keep BEFORE DELETE ON tblNode WHEN old.nodeName = 'pcmig probe room'
		BEGIN SELECT RAISE(ABORT, 'kept for the test'); END`
	labtest.ExecSQLite(t, target, keep)
	_, stderr, code := runCmd(t, "run", "--estate", est)
	if code != 1 || !strings.Contains(stderr, "kept for the test") {
		t.Fatalf("the run with the probe room kept: exit %d\n%s", code, stderr)
	}
	if n := probeRooms(t, target); n != 1 {
		t.Fatalf("%d probe rooms left, want 1", n)
	}
	labtest.ExecSQLite(t, target, `DROP TRIGGER probe_keep`)
	stdout, _ := mustRun(t, 0, "run", "--estate", est, "--resume")
	mustContain(t, "resume", stdout, "removed pcmig's own probe room left by an interrupted run", "probe room created and removed")
	if n := probeRooms(t, target); n != 0 {
		t.Fatalf("%d probe rooms after the resumed run, want 0", n)
	}

	// The same with a fresh run.
	labtest.ExecSQLite(t, target, keep)
	if _, stderr, code := runCmd(t, "run", "--estate", est, "--fresh"); code != 1 || !strings.Contains(stderr, "kept for the test") {
		t.Fatalf("the second run with the probe room kept: exit %d\n%s", code, stderr)
	}
	labtest.ExecSQLite(t, target, `DROP TRIGGER probe_keep`)
	stdout, _ = mustRun(t, 0, "run", "--estate", est, "--fresh")
	mustContain(t, "fresh", stdout, "removed pcmig's own probe room left by an interrupted run")
	if n := probeRooms(t, target); n != 0 {
		t.Fatalf("%d probe rooms after the fresh run, want 0", n)
	}
}

// TestRunLeavesAForeignProbeRoomAlone: a room of the probe room's name
// that pcmig did not create is never deleted; the run stops with an error
// that says so and what to do.
func TestRunLeavesAForeignProbeRoomAlone(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	est, target := filepath.Join(dir, "estate.lua"), filepath.Join(dir, "target-2019.db")
	mustRun(t, 0, "run", "--estate", est)
	script := filepath.Join(dir, "foreign.lua")
	writeFile(t, script, `local room, category = require("room"), require("category")
room.create("target", { name = "pcmig probe room", category = category.list("target")[1].name })
`)
	mustRun(t, 0, "run", script, "--estate", est, "--fresh")
	_, stderr, code := runCmd(t, "run", "--estate", est, "--fresh")
	if code != 1 {
		t.Fatalf("a run with a foreign probe room: exit %d, want 1\n%s", code, stderr)
	}
	mustContain(t, "error", stderr, `room "pcmig probe room" already exists`, "not pcmig's", "Remove-CsPersistentChatRoom")
	if n := probeRooms(t, target); n != 1 {
		t.Fatalf("%d probe rooms, want the foreign one kept", n)
	}
}

// TestRunRemovesItsOwnLeftoverProbeRoomAfterAMove: the estate folder may
// be moved between a stopped run and its resume; the probe record was
// keyed by the database's path, so the moved estate refused its own
// leftover probe room as foreign. The room's GUID, recorded in the state
// folder, proves it is pcmig's.
func TestRunRemovesItsOwnLeftoverProbeRoomAfterAMove(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	target := filepath.Join(dir, "target-2019.db")
	labtest.ExecSQLite(t, target, `CREATE TRIGGER probe_keep BEFORE DELETE ON tblNode WHEN old.nodeName = 'pcmig probe room'
		BEGIN SELECT RAISE(ABORT, 'kept for the test'); END`)
	if _, stderr, code := runCmd(t, "run", "--estate", filepath.Join(dir, "estate.lua")); code != 1 || !strings.Contains(stderr, "kept for the test") {
		t.Fatalf("the run with the probe room kept: exit %d\n%s", code, stderr)
	}
	labtest.ExecSQLite(t, target, `DROP TRIGGER probe_keep`)
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	stdout, _ := mustRun(t, 0, "run", "--estate", filepath.Join(moved, "estate.lua"), "--resume")
	mustContain(t, "resume", stdout, "removed pcmig's own probe room left by an interrupted run")
	if n := probeRooms(t, filepath.Join(moved, "target-2019.db")); n != 0 {
		t.Fatalf("%d probe rooms after the resumed run, want 0", n)
	}
}
