package main

import (
	"path/filepath"
	"testing"
)

// TestRunRefusesTablesWithMetatables: options and pool tables (and the
// lists given as options) are read by the keys they hold themselves, so
// one with a metatable is refused with a typed argument error before the
// function does anything, rather than having what its __index supplies (a
// level, a misspelt key, a pool name, the scope) silently ignored. Nothing is exported and the estate, databases
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
try("source", { file = "x.zip", scope = setmetatable({}, { __index = { "Sales" } }) })
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
		"false\targument\texport.run\toptions"+plain+"\n",
		"false\targument\texport.run\toption scope"+plain+"\n")
	mustContain(t, "stderr", stderr, "meta.lua:10: export.run: argument: options"+plain)
	unchangedEstate(t, est, before)
}

// TestRunRefusesListsWithMetatables: the other tables the functions read
// by their own keys (a targets map, a list of names, of users or of pools)
// are refused the same way when they have a metatable, before anything is
// written.
func TestRunRefusesListsWithMetatables(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	script := filepath.Join(t.TempDir(), "lists.lua")
	writeFile(t, script, `local function try(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, type(err) == "userdata" and err.kind, type(err) == "userdata" and err.op, type(err) == "userdata" and err.message)
end
local hidden = function(v) return setmetatable({}, { __index = v }) end
try(require("category").compare, "source", "target", { targets = hidden({ Sales = "Ventes" }) })
try(require("creator").add, "target", "Sales", hidden({ "sip:alice@contoso.com" }))
try(require("verify").run, setmetatable({ "source" }, {}), "target")
local dir = require("user").load("users.csv")
try(dir.move, dir, hidden({ "sip:alice@contoso.com" }), "fe19.contoso.com")
`)
	before := hashTree(t, est)
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), script)
	if code != 0 {
		t.Errorf("run: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	const plain = " must be a plain table, without a metatable (pcmig reads only the keys the table holds itself)\n"
	mustContain(t, "stdout", stdout,
		"false\targument\tcategory.compare\toption targets"+plain,
		"false\targument\tcreator.add\targument #3"+plain,
		"false\targument\tverify.run\ta list of pools"+plain,
		"false\targument\tuser.move\targument #2"+plain)
	unchangedEstate(t, est, before)
}
