package main

import (
	"path/filepath"
	"testing"
)

// TestRunRefusesTablesWithMetatables: options and pool tables are read by
// the keys they hold themselves, so one with a metatable is refused with a
// typed argument error before the function does anything, rather than
// having what its __index supplies (a level, a misspelt key, a pool name)
// silently ignored. Nothing is exported and the estate, databases
// included, is unchanged.
func TestRunRefusesTablesWithMetatables(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	script := filepath.Join(t.TempDir(), "meta.lua")
	writeFile(t, script, `local export = require("export")
local function try(pool, o)
  local ok, err = pcall(export.run, pool, o)
  print(ok, type(err) == "userdata" and err.kind, type(err) == "userdata" and err.op, type(err) == "userdata" and err.message)
end
try(setmetatable({ db = "sqlite:source-2015.db" }, { __index = { pool = "other.contoso.com" } }), { file = "x.zip" })
try({ db = setmetatable({ dsn = "sqlite:source-2015.db" }, { __index = { encrypt = "strict" } }) }, { file = "x.zip" })
try("source", setmetatable({ file = "x.zip" }, { __index = { levl = "Category" } }))
export.run("source", setmetatable({ file = "x.zip", overwrite = true }, { __index = { level = "Category" } }))
`)
	before := hashTree(t, est)
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), script)
	if code != exitError {
		t.Errorf("run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	const plain = " must be a plain table, without a metatable (pcmig reads only the keys the table holds itself)"
	mustContain(t, "stdout", stdout,
		"false\targument\texport.run\ta pool table"+plain+"\n",
		"false\targument\texport.run\ta pool table's db"+plain+"\n",
		"false\targument\texport.run\toptions"+plain+"\n")
	mustContain(t, "stderr", stderr, "meta.lua:9: export.run: argument: options"+plain)
	unchangedEstate(t, est, before)
}
