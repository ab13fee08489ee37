-- import.run: result tables, conflict policies, re-runs and bad archives.
local expect = require("expect")
local fixture = require("fixture")
local export = require("export")
local import = require("import")
local category = require("category")
local room = require("room")

local function ops(op)
  local n = 0
  for _, a in ipairs(fixture.plan()) do
    if a.module .. "." .. a.op == op then n = n + 1 end
  end
  return n
end

local function names(list)
  local out = {}
  for _, x in ipairs(list) do table.insert(out, x.name) end
  table.sort(out)
  return out
end

local function find(list, name)
  for _, x in ipairs(list) do
    if x.name == name then return x end
  end
end

-- rooms_of returns the names of the source's rooms in a category, sorted,
-- and their messages.
local function rooms_of(r, cat)
  local out, messages = {}, 0
  for _, x in ipairs(r.rooms) do
    if x.category == cat then
      table.insert(out, x.name)
      messages = messages + x.messages
    end
  end
  table.sort(out)
  return out, messages
end

function TestImportIntoEmptyTarget()
  local ex = export.run("source", { file = "out/a.zip" })
  local r = import.run("target", { file = "out/a.zip" })
  expect.eq(r.archive, fixture.dir .. "/out/a.zip")
  expect.eq(r.on_conflict, "merge")
  expect.eq(type(r.target), "string")
  expect.eq(r.resumed, false)
  expect.eq(r.dry_run, false)
  expect.eq(r.conflicts, {})
  expect.eq(#r.categories, ex.counts.categories)
  for _, c in ipairs(r.categories) do
    expect.eq(c.action, "create", c.name)
    expect.eq(c.target_name, c.name)
    expect.eq(type(c.add_allowed), "number")
    expect.eq(type(c.add_denied), "number")
    expect.eq(type(c.add_creators), "number")
    expect.eq(type(c.rooms), "number")
  end
  expect.eq(#r.rooms, ex.counts.rooms)
  for _, x in ipairs(r.rooms) do
    expect.eq(x.action, "create", x.name)
    expect.eq(x.imported, x.messages, x.name)
    expect.eq(type(x.category), "string")
  end
  expect.eq(r.messages, { in_archive = 500, already_imported = 0, to_import = 500, imported = 500, skipped = 0 })
  expect.ok(r.principals.create > 0)
  expect.eq(r.addins.create, 2)
  expect.eq(type(r.duration_ns), "number")
  for _, p in ipairs(r.problems) do
    expect.eq(p.severity, "warning", p.object .. ": " .. p.message)
  end
  expect.eq(names(category.list("target")), names(category.list("source")))
  expect.eq(names(room.list("target")), names(room.list("source")))
  expect.eq(ops("import.create category"), ex.counts.categories)
  expect.eq(ops("import.create room"), ex.counts.rooms)
  expect.eq(ops("import.add principals"), 1)
  expect.eq(ops("import.add affiliations"), 1)
  expect.eq(ops("import.add add-ins"), 1)
  expect.ok(r.add_affiliations > 0, "the new principals' group memberships")
end

function TestReRunImportsNothing()
  export.run("source", { file = "out/a.zip" })
  import.run("target", { file = "out/a.zip" })
  local actions = #fixture.plan()
  local r = import.run("target", { file = "out/a.zip" })
  expect.eq(r.messages.imported, 0)
  expect.eq(r.messages.to_import, 0)
  expect.eq(r.messages.already_imported, 500)
  expect.eq(r.principals.create, 0)
  expect.eq(r.addins.create, 0)
  for _, c in ipairs(r.categories) do expect.eq(c.action, "exists", c.name) end
  for _, x in ipairs(r.rooms) do expect.eq(x.action, "exists", x.name) end
  expect.eq(#fixture.plan(), actions, "a re-run records no action")
  expect.eq(#room.list("target"), #room.list("source"))
end

function TestEstateDefaults()
  local estate = require("estate")
  export.run("source")
  local r = import.run("target")
  expect.eq(r.archive, estate.archive)
  expect.eq(r.on_conflict, estate.on_conflict)
  expect.eq(r.messages.imported, 500)
end

-- conflicting exports the source after creating a "Sales" of the target's
-- own, so that the import meets a category of the same name.
local function conflicting()
  category.create("target", { name = "Sales", description = "the target's own" })
  return export.run("source", { file = "out/a.zip" })
end

function TestConflictMerge()
  local ex = conflicting()
  local r = import.run("target", { file = "out/a.zip", on_conflict = "merge" })
  expect.eq(#r.conflicts, 1)
  expect.eq(r.conflicts[1].kind, "category")
  expect.eq(r.conflicts[1].name, "Sales")
  expect.ok(r.conflicts[1].resolution:find("merged"), r.conflicts[1].resolution)
  expect.eq(find(r.categories, "Sales").action, "merge")
  expect.eq(#category.list("target"), ex.counts.categories, "no second Sales")
  local sales = category.get("target", "Sales")
  expect.eq(sales.description, "the target's own", "the target's category is kept")
  expect.eq(names(room.list("target", { category = "Sales" })), (rooms_of(ex, "Sales")))
  expect.eq(#sales.creators > 0, true, "the archive's creators are added")
end

function TestConflictSkip()
  local ex = conflicting()
  local r = import.run("target", { file = "out/a.zip", on_conflict = "skip" })
  expect.eq(#r.conflicts, 1)
  expect.ok(r.conflicts[1].resolution:find("skipped"), r.conflicts[1].resolution)
  expect.eq(find(r.categories, "Sales").action, "skip")
  local sales, messages = rooms_of(ex, "Sales")
  for _, name in ipairs(sales) do
    expect.eq(find(r.rooms, name).action, "skip", name)
  end
  expect.eq(r.messages.skipped, messages)
  expect.eq(r.messages.imported, 500 - messages)
  expect.eq(room.list("target", { category = "Sales" }), {})
  expect.eq(category.get("target", "Sales").creators, {})
  expect.eq(#category.list("target"), ex.counts.categories)
end

function TestConflictRename()
  local ex = conflicting()
  local r = import.run("target", { file = "out/a.zip", on_conflict = "rename" })
  local c = find(r.categories, "Sales")
  expect.eq(c.action, "rename")
  expect.eq(c.target_name, "Sales (imported)")
  expect.eq(#category.list("target"), ex.counts.categories + 1)
  expect.eq(room.list("target", { category = "Sales" }), {})
  expect.eq(names(room.list("target", { category = "Sales (imported)" })), (rooms_of(ex, "Sales")))
  expect.eq(r.messages.imported, 500)
end

function TestConflictFail()
  conflicting()
  local err = expect.error(function()
    import.run("target", { file = "out/a.zip", on_conflict = "fail" })
  end, "validation", "nothing was written")
  expect.eq(err.op, "import.run")
  expect.eq(names(category.list("target")), { "Sales" }, "nothing was imported")
  expect.eq(room.list("target"), {})
  expect.eq(ops("import.create category"), 0)
end

function TestBadArchive()
  fixture.write("bad.zip", "this is not a zip file")
  expect.error(function() import.run("target", { file = "bad.zip" }) end, "validation", "bad.zip")
  export.run("source", { file = "out/a.zip" })
  local zip = fixture.read("out/a.zip")
  fixture.write("cut.zip", zip:sub(1, math.floor(#zip / 2)))
  expect.error(function() import.run("target", { file = "cut.zip" }) end, "validation")
  expect.eq(category.list("target"), {}, "nothing was written")
end

function TestMissingArchive()
  local err = expect.error(function() import.run("target", { file = "nowhere.zip" }) end, "io", "nowhere.zip")
  expect.eq(err.op, "import.run")
end

function TestBadOnConflict()
  export.run("source", { file = "out/a.zip" })
  expect.error(function() import.run("target", { file = "out/a.zip", on_conflict = "overwrite" }) end, "argument", "overwrite")
  expect.error(function() import.run("target", { file = "out/a.zip", on_conflict = true }) end, nil, "option on_conflict: string expected")
  expect.error(function() import.run("nowhere") end, "not_found")
end
