package main

import (
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
