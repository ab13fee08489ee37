package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// removingScript exports, imports, then removes three migrated rooms in a
// step of its own, which fails after the removals on the first run (as a
// kill or a mail server down would stop it) and finishes on the next.
const removingScript = `
local estate = require("estate")
local export = require("export")
local import = require("import")
local room   = require("room")
steps(4)
step("export", function() export.run("source", { file = estate.archive, overwrite = true }) end)
step("import", function() import.run("target", { file = estate.archive }) end)
step("remove the old rooms", function()
  local present = {}
  for _, r in ipairs(room.list("target")) do present[r.name] = true end
  local removed = 0
  for _, name in ipairs({ "Analytics", "Build Breaks", "Release Train" }) do
    if present[name] then room.remove("target", name); removed = removed + 1 end
  end
  if removed > 0 then error("mail server down: the owners of " .. removed .. " rooms were not told") end
end)
step("tell the users", function() end)
`

// TestResumeAfterTheScriptsOwnStepRemovedRooms: a script of the
// administrator's own removes target rooms in a step that stops after the
// removals (an error, a kill). --resume goes on: the target's revision
// (tblSystemRevision, which every write of pcmig and of the server moves
// on) is past the one recorded after the last finished step, so the
// database is the one the run worked on, written since, not a backup
// restored under its name; a warning names what it lacks, the step it
// stopped in, and that the run goes on. Before, the resume was refused as
// "a backup restored or an empty copy under its name", the estate said to
// have changed, and --fresh (export and import again, bringing the
// removed rooms back) was the only way on. A backup of the database taken
// before the removals and restored under its name is still refused.
func TestResumeAfterTheScriptsOwnStepRemovedRooms(t *testing.T) {
	t.Parallel()
	dir := labEstate(t)
	est := filepath.Join(dir, "estate.lua")
	script := filepath.Join(dir, "mine.lua")
	writeFile(t, script, removingScript)
	target := filepath.Join(dir, "target-2019.db")

	stdout, stderr, code := runCmd(t, "run", script, "--estate", est)
	if code != exitError {
		t.Fatalf("first run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "first run's stderr", stderr, "mail server down")
	rooms := queryInt(t, openDB(t, target), "SELECT COUNT(*) FROM tblNode WHERE nodeType = 1")

	stdout, stderr = mustRun(t, 0, "run", script, "--estate", est, "--resume")
	mustContain(t, "resumed run's stdout", stdout, "skipped (finished in an earlier run)")
	mustContain(t, "resumed run's stderr", stderr,
		"the target database", "holds less than after step \"import\"", "categories and rooms: ",
		"was written after it", "removed after that step: by step \"remove the old rooms\", in which the run stopped, or by hand",
		"the resumed run goes on")
	if strings.Contains(stderr, "backup restored") {
		t.Errorf("the resumed run calls the database a backup restored:\n%s", stderr)
	}
	if now := queryInt(t, openDB(t, target), "SELECT COUNT(*) FROM tblNode WHERE nodeType = 1"); now != rooms {
		t.Errorf("the resumed run left %d rooms, the stopped one %d: the removed rooms came back or more went", now, rooms)
	}

	// Rooms deleted straight in the database, which no write of pcmig or
	// the server did (the revision stays), cannot be told from a backup
	// restored under its name: still refused, saying so.
	dir = labEstate(t)
	est, script, target = filepath.Join(dir, "estate.lua"), filepath.Join(dir, "mine.lua"), filepath.Join(dir, "target-2019.db")
	writeFile(t, script, strings.Replace(removingScript, `local removed = 0`, `error("mail server down")`, 1))
	if _, _, code = runCmd(t, "run", script, "--estate", est); code != exitError {
		t.Fatalf("the stopped run: exit %d", code)
	}
	labtest.ExecSQLite(t, target,
		`DELETE FROM tblLastChatId WHERE nodeID IN (SELECT nodeID FROM tblNode WHERE nodeName = 'Analytics')`,
		`DELETE FROM tblNode WHERE nodeName = 'Analytics'`)
	stdout, stderr, code = runCmd(t, "run", script, "--estate", est, "--resume")
	if code != exitError || strings.Contains(stdout, "== Step") {
		t.Fatalf("resumed after rooms deleted in the database: exit %d, want %d, and no step\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "refused resume", stderr, "holds less than the run left in it after step \"import\"", "categories and rooms: ", " now, ",
		"its revision (tblSystemRevision", "has not moved since", "a backup restored or a copy under its name, or rows deleted straight in the database",
		"--fresh")
}
