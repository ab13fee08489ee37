package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEnumeratedValuesAnyCase: the values of enumerated options are taken
// in any letter case everywhere, as export's level, a room's privacy and
// type always were: the estate's on_conflict and category_policy,
// import.run's on_conflict, doctor.check's role, pool.carry_settings'
// existing, and the command line's --on-conflict and --role. Scripts see
// the canonical spelling; a value that is none of them is still refused,
// naming the ones there are.
func TestEnumeratedValuesAnyCase(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	estFile := filepath.Join(dir, "estate.lua")
	editEstate(t, estFile, `on_conflict = "merge",`, `on_conflict = "Merge", category_policy = "FIRST",`)
	editEstate(t, estFile, `level = "All",`, `level = "content",`)
	script := filepath.Join(t.TempDir(), "enums.lua")
	writeFile(t, script, `local estate = require("estate")
local export = require("export")
local import = require("import")
local doctor = require("doctor")
local pool = require("pool")
print("estate " .. estate.on_conflict .. " " .. estate.category_policy .. " " .. estate.export.level)
export.run("source", { level = "all" })
local r = import.run("target", { on_conflict = "MERGE" })
print("import " .. r.on_conflict)
local d = doctor.check("target", { role = "Target" })
print("doctor " .. d.role)
pool.carry_settings("source", "target", { existing = "Keep" })
print("carried")
local ok, err = pcall(import.run, "target", { on_conflict = "merg" })
print("merg " .. tostring(ok) .. " " .. err.kind .. ": " .. err.message)
`)
	stdout, stderr, code := runCmd(t, "run", script, "--estate", estFile, "--dry-run")
	if code != 2 && code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	mustContain(t, "stdout", stdout, "estate merge first Content", "import merge", "doctor target", "carried",
		`merg false argument: on_conflict "merg": want merge, skip, rename or fail`)

	zipPath := filepath.Join(t.TempDir(), "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--file", zipPath, "--level", "ALL")
	stdout, _ = mustRun(t, 2, "import", "--db", "sqlite:"+filepath.Join(dir, "target-2019.db"), "--file", zipPath, "--on-conflict", "Rename", "--dry-run")
	mustContain(t, "import --on-conflict Rename", stdout, "Would import into")
	stdout, _ = mustRun(t, 0, "doctor", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--role", "Source")
	mustContain(t, "doctor --role Source", stdout, "(sqlite, as source)")
	if _, stderr, code := runCmd(t, "doctor", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--role", "owner"); code != 64 ||
		!strings.Contains(stderr, "want target or source") {
		t.Errorf("doctor --role owner: exit %d, %s", code, stderr)
	}
}
