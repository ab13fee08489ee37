package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunErrorHandlingPattern runs the error-handling pattern that
// docs/lua-api.md teaches (pcall around a binding, checking err.kind)
// through "pcmig run" with a script of its own: the counter the pattern
// keeps in a local variable must count every caught conflict (gopher-lua
// issue #448 made it count none).
func TestRunErrorHandlingPattern(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	script := filepath.Join(t.TempDir(), "count.lua")
	writeFile(t, script, `local category = require("category")
local log = require("log")

local conflicts = 0
local function create(name)
  local ok, err = pcall(category.create, "target", { name = name })
  if not ok then
    if type(err) == "userdata" and err.kind == "conflict" then
      conflicts = conflicts + 1
      log.warn("%s", err.message)
    else
      error(err)
    end
  end
end

step("create categories", function()
  create("Lua pattern")
  create("Lua pattern")
  create("lua PATTERN")
end)
print("conflicts: " .. conflicts)
`)
	stdout, stderr := mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	mustContain(t, "stdout", stdout, "conflicts: 2\n")
	if n := strings.Count(stderr, "WARN "); n != 2 {
		t.Errorf("stderr has %d warnings, want 2:\n%s", n, stderr)
	}
}

// TestRunYieldInsideStep runs a script whose coroutine yields inside a
// step: the step must fail rather than be journaled as finished, and the
// run must fail (it exited 0 with "completed": true, after a nil-pointer
// error).
func TestRunYieldInsideStep(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	script := filepath.Join(t.TempDir(), "yield.lua")
	writeFile(t, script, `local co = coroutine.wrap(function()
  step("half a step", function()
    coroutine.yield()
    print("second half")
  end)
end)
co()
co()
`)
	stdout, stderr, code := runCmd(t, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	if code != exitError {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, `step 1 "half a step" failed`, "attempt to yield across metamethod/C-call boundary")
	if strings.Contains(stdout, "second half") {
		t.Errorf("the step's body went on after the yield:\n%s", stdout)
	}
	var j struct {
		Completed bool              `json:"completed"`
		Finished  []json.RawMessage `json:"finished_steps"`
	}
	decodeJSON(t, readFile(t, filepath.Join(est, ".pcmig", "run-journal.json")), &j)
	if j.Completed || len(j.Finished) != 0 {
		t.Errorf("journal: completed %v, finished steps %s; want an unfinished run with no finished step", j.Completed, j.Finished)
	}
}

// TestRunScriptWithByteOrderMark runs and validates a script, and a module
// it requires, saved with a UTF-8 byte order mark (Windows editors write
// one); both were refused. The script's step name holds an escape sequence
// and a bidirectional override, which never reach the terminal raw; the
// JSON report keeps the real name.
func TestRunScriptWithByteOrderMark(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	dir := t.TempDir()
	script := filepath.Join(dir, "bom.lua")
	writeFile(t, script, "\xEF\xBB\xBFlocal h = require(\"lib.helper\")\nstep(\"greet\\27[31m \\226\\128\\174\", function() print(h.greeting) end)\n")
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "lib", "helper.lua"), "\xEF\xBB\xBFreturn { greeting = \"hello\" }\n")
	stdout, _ := mustRun(t, 0, "validate", script)
	mustContain(t, "validate", stdout, "bom.lua: ok")
	report := filepath.Join(t.TempDir(), "report.json")
	stdout, _ = mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"), "--report", report)
	const name = `greet\u001B[31m \u202E`
	mustContain(t, "stdout", stdout, "hello\n", "Step 1: "+name+" ==")
	if strings.ContainsAny(stdout, "\x1b\u202e") {
		t.Errorf("stdout holds raw control characters: %q", stdout)
	}
	rep := readReport(t, report)
	if len(rep.Steps) != 1 || rep.Steps[0].Name != "greet\x1b[31m \u202e" {
		t.Errorf("report steps %+v, want the one real name (the JSON escapes it)", rep.Steps)
	}
}
