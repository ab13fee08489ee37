package bindings

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// cacheLab writes a lab estate with more categories than creators per
// category, so that per-call reads would show.
func cacheLab(t *testing.T) *Env {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "estate")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 40, Categories: 12, Rooms: 30, Messages: 50, Seed: 3}); err != nil {
		t.Fatalf("lab.Init: %v", err)
	}
	est, err := estate.Load(context.Background(), filepath.Join(dir, lab.EstateFile))
	if err != nil {
		t.Fatalf("estate.Load: %v", err)
	}
	now := func() time.Time { return time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC) }
	e := &Env{Estate: est, ToolVersion: "test", Now: now}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Env.Close: %v", err)
		}
	})
	return e
}

// runChunk runs a Lua chunk with the modules of e plus probe:
// probe.reads() returns how many statements the pools' stores have run
// outside writes, probe.refresh() calls e.Refresh.
func runChunk(t *testing.T, e *Env, dryRun bool, src string) string {
	t.Helper()
	probe := pcrt.Module{Name: "probe", Loader: func(L *lua.LState) int {
		t := L.NewTable()
		L.SetFuncs(t, map[string]lua.LGFunction{
			"reads": func(L *lua.LState) int {
				var n int64
				e.mu.Lock()
				for _, s := range e.stores {
					n += s.Reads()
				}
				e.mu.Unlock()
				L.Push(lua.LNumber(n))
				return 1
			},
			"refresh": func(*lua.LState) int { e.Refresh(); return 0 },
			"revision": func(L *lua.LState) int {
				// tblSystemRevision, read from the file: every write
				// transaction of the store bumps it.
				db, err := sql.Open("sqlite", filepath.Join(e.Estate.Dir, L.CheckString(1)+"-2019.db"))
				if err != nil {
					L.RaiseError("%v", err)
				}
				defer db.Close()
				var rev int64
				if err := db.QueryRow("SELECT sysRevision FROM tblSystemRevision").Scan(&rev); err != nil {
					L.RaiseError("%v", err)
				}
				L.Push(lua.LNumber(rev))
				return 1
			},
		})
		L.Push(t)
		return 1
	}}
	var out, errs bytes.Buffer
	_, err := pcrt.Run(t.Context(), pcrt.Script{Name: "cache.lua", Source: []byte(src)},
		pcrt.Options{Stdout: &out, Stderr: &errs, DryRun: dryRun, Modules: append(e.Modules(), probe), Now: e.Now})
	if err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errs.String())
	}
	return out.String()
}

// The loops of steps 6 and 7 (creators of every category, the room-creation
// check of every category) read each pool once, not once per category and
// creator.
func TestBindingLoopsReadThePoolOnce(t *testing.T) {
	for _, dry := range []bool{false, true} {
		e := cacheLab(t)
		runChunk(t, e, dry, `
local category, creator, room = require("category"), require("creator"), require("room")
local reads = require("probe").reads
local function pass(pool)
  for _, c in ipairs(category.list(pool)) do
    category.get(pool, c.name)
    creator.list(pool, c.name)
    creator.add(pool, c.name, c.creators)
    for _, who in ipairs(c.creators) do room.can_create(pool, c.name, who) end
    room.list(pool, { category = c.name })
  end
  creator.carry_over(pool, pool)
  category.compare(pool, pool)
end
pass("source")
local before = reads()
for i = 1, 3 do pass("source") end
local extra = reads() - before
if extra ~= 0 then
  error(string.format("%d more reads of the pool for three passes over its categories, want 0", extra))
end
`)
	}
}

// What the modules cache of a pool stays what the pool holds through every
// write they make, in real and in dry runs (where the writes are simulated).
func TestCachedPoolFollowsWrites(t *testing.T) {
	for _, dry := range []bool{false, true} {
		e := cacheLab(t)
		runChunk(t, e, dry, `
local category, creator, room, import, export = require("category"), require("creator"), require("room"), require("import"), require("export")
local probe = require("probe")
local function dump(v)
  if type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do table.insert(keys, tostring(k)) end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local x = v[k]
    if x == nil then x = v[tonumber(k)] end
    table.insert(out, k .. "=" .. dump(x))
  end
  return "{" .. table.concat(out, ",") .. "}"
end
local function state(pool)
  return dump({ category.list(pool), room.list(pool) })
end
local function same(what)
  local cached = state("source") .. state("target")
  probe.refresh()
  local fresh = state("source") .. state("target")
  if cached ~= fresh then
    error(what .. ": the cached view differs from the pool:\n" .. cached .. "\n" .. fresh)
  end
end

same("first read")
local b = category.get("source", "Sales")
local a = category.list("source")[1]
if a.name == b.name then a = category.list("source")[2] end
local users = {}
for _, u in ipairs(b.allowed_members) do
  if u:match("^sip:") and room.can_create("source", b.name, u) == false then table.insert(users, u) end
end
category.create("source", { name = "New", allowed_members = { users[1], users[2], users[1] },
  denied_members = { users[2], users[3] }, creators = { users[1], users[1] } })
category.update("source", "new", { new_name = "Renamed", description = "d" })
category.update("source", a.name, { new_name = "zzz " .. a.name })
local added = creator.add("source", b.name, users).added
if added < 2 then error("the test needs new creators; added " .. added) end
creator.remove("source", b.name, { users[1] })
room.create("source", { name = "Fresh", category = "Renamed", creator = users[1], members = { users[1], users[1] } })
same("after category, creator and room writes")
local r = room.list("source")[1]
room.disable("source", r.name)
room.remove("source", "fresh")
same("after disable and remove")
probe.refresh()
local before = category.get("source", "Renamed").rooms -- counts, not the rooms
room.create("source", { name = "Probe", category = "Renamed", creator = users[1] })
local during = category.get("source", "Renamed").rooms
room.remove("source", "probe")
if during ~= before + 1 or category.get("source", "Renamed").rooms ~= before then
  error(string.format("room counts %d, %d, %d around a probe room", before, during, category.get("source", "Renamed").rooms))
end
same("after a probe room made without the room index")
export.run("source", { file = "cache.zip", disable_exported = true, overwrite = true })
same("after an export that disables rooms")
import.run("target", { file = "cache.zip" })
creator.carry_over("source", "target")
same("after import and carry_over")
`)
	}
}

// creator.carry_over writes the creators of every category in one
// transaction: tblSystemRevision, which every write transaction bumps,
// moves by one.
func TestCarryOverWritesOnce(t *testing.T) {
	e := cacheLab(t)
	out := runChunk(t, e, false, `
local category, creator, export, import = require("category"), require("creator"), require("export"), require("import")
local probe = require("probe")
export.run("source", { file = "a.zip" })
import.run("target", { file = "a.zip" })
local n = 0
for _, c in ipairs(category.list("target")) do
  if #c.creators > 0 then
    creator.remove("target", c.name, c.creators)
    n = n + 1
  end
end
local before = probe.revision("target")
local r = creator.carry_over("source", "target")
print(n, #r.categories, r.added, probe.revision("target") - before)
`)
	var cats, changed, added, bumps int
	if _, err := fmt.Sscan(out, &cats, &changed, &added, &bumps); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if cats < 3 || added < cats {
		t.Fatalf("the lab gives %d categories with creators and %d creators; the test needs several", cats, added)
	}
	if bumps != 1 {
		t.Errorf("carry_over of %d creators in %d categories took %d write transactions, want 1", added, cats, bumps)
	}
}

// verify.run reads both pools itself: the modules' views of them are let
// go first, so that the reconcile step does not hold each pool twice (the
// big estate's principal views alone are about 30 MB). Modules used
// afterwards read the pools again and see what they hold.
func TestVerifyLetsTheModulesViewsGo(t *testing.T) {
	e := cacheLab(t)
	views := func() int {
		e.mu.Lock()
		defer e.mu.Unlock()
		return len(e.poolViews)
	}
	runChunk(t, e, false, `
local category, export, import = require("category"), require("export"), require("import")
export.run("source", { file = "v.zip" })
import.run("target", { file = "v.zip" })
category.compare("source", "target")
`)
	if views() != 2 {
		t.Fatalf("%d pool views after category.compare of two pools, want 2", views())
	}
	out := runChunk(t, e, false, `
local category, verify = require("category"), require("verify")
local r = verify.run("source", "target", { archive = "v.zip" })
print(r.verdict, #category.list("target"))
`)
	if views() != 1 {
		t.Errorf("%d pool views after verify.run and one category.list, want 1 (the target's, read again)", views())
	}
	if out != "EQUAL\t12\n" {
		t.Errorf("output %q, want EQUAL and the 12 categories", out)
	}
}
