package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestValidateReportsUnknownModuleFields: a misspelt module function
// (export.rnu) compiles, and luacheck cannot see it (the module is a local
// from require), so validate must name it: file, line, column, the name and
// the nearest one the module has. The same goes for the script's own
// modules that validate follows.
func TestValidateReportsUnknownModuleFields(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "helpers.lua"),
		"local room = require(\"room\")\nlocal M = {}\nfunction M.probe(cat)\n  return room:craete({ category = cat })\nend\nreturn M\n")
	script := filepath.Join(dir, "broken.lua")
	writeFile(t, script, `local export = require("export")
local helpers = require("helpers")
steps(2)
step("export", function()
  export.rnu("source", { file = "a.zip" })
end)
step("probe", function()
  local cat = require("category")
  helpers.probe(cat.lsit("target")[1].name)
  if require("pcmig").dryrun then print("dry") end
  print(require("log").wran)
end)
`)
	got := validateFindings(t, dir, script)
	want := []string{
		"broken.lua:5:3: not_found: export.rnu: the export module has no function rnu; did you mean run?",
		"broken.lua:9:17: not_found: cat.lsit: the category module has no function lsit; did you mean list?",
		// A read that is only tested is how a script asks whether this
		// pcmig has a function, so pcmig.dryrun in an if is left alone.
		"broken.lua:11:9: not_found: require(\"log\").wran: the log module has no field wran; did you mean warn?",
		"helpers.lua:4:10: not_found: room:craete: the room module has no function craete; did you mean create?",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("validate findings mismatch (-want +got):\n%s", diff)
	}
}

// TestValidateLeavesDynamicAccessAlone: what the check cannot know for
// certain it does not report: a dynamic key, a local that is reassigned,
// the script's own modules, tables that functions return, fields a script
// adds to a module table, a module table handed to other code, and a
// module's name when no Go module of that name is required.
func TestValidateLeavesDynamicAccessAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "mine.lua"), "return { anything = function() end }\n")
	writeFile(t, filepath.Join(dir, "extend.lua"),
		"local room = require(\"room\")\nfunction room.probe_all() end\nfunction room:tidy() end\nreturn true\n")
	script := filepath.Join(dir, "fine.lua")
	writeFile(t, script, `local export = require("export")
local import = require("import")
local category = require("category")
local topology = require("topology")
local log = require("log")
local mine = require("mine")
local room = require("room")
require("extend")
local verify = require("verify")
local name = "r" .. "un"
steps(1)
step("all fine", function()
  local f = export[name]                      -- dynamic
  import = { runn = function() end }          -- reassigned
  import.runn()
  mine.anything()                             -- the script's own module
  local doc = topology.load()
  doc:no_such_method()                        -- a table a function returns
  room.probe_all()                            -- added by extend.lua
  room:tidy()
  if category.compare_all then category.compare_all() end  -- tested
  local run = verify.run_all or verify.run
  local function shadow(log) return log.anything end       -- a parameter, not the module
  local t = { log = log }                      -- handed on: others may add fields
  log.later("x")
  return f, run, shadow, t
end)
`)
	stdout, stderr := mustRun(t, 0, "validate", script)
	if stdout != script+": ok\n" {
		t.Errorf("validate = %q, want ok\nstderr:\n%s", stdout, stderr)
	}
}

// TestRunRefusesUnknownModuleFieldsBeforeStarting: pcmig run checks the
// same before the first step, so a misspelt function in step 2 cannot stop
// a run after step 1 wrote to a pool: the estate stays as it was and no
// journal records a started run.
func TestRunRefusesUnknownModuleFieldsBeforeStarting(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	script := filepath.Join(t.TempDir(), "late.lua")
	writeFile(t, script, `local category = require("category")
local export = require("export")
steps(2)
step("create", function()
  category.create("target", { name = "Written before the typo" })
end)
step("export", function()
  export.rnu("source")
end)
`)
	before := hashTree(t, est)
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		args := append(append([]string{"run", "--estate", filepath.Join(est, "estate.lua")}, mode...), script)
		stdout, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "late.lua:8:3:", "export.rnu: the export module has no function rnu; did you mean run?")
		if strings.Contains(stdout+stderr, "Written before the typo") || strings.Contains(stdout, "step 1/2") {
			t.Errorf("run %v started the script:\nstdout:\n%s\nstderr:\n%s", mode, stdout, stderr)
		}
	}
	after := hashTree(t, est, ".pcmig") // the lock's folder, as for a script that does not compile
	delete(before, ".pcmig/")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the run changed the estate (-before +after):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(est, ".pcmig", "run-journal.json")); err == nil {
		t.Error("a journal was written for a run that must not start")
	}
}
