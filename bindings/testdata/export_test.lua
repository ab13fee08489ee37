-- export.run: levels, scope, since, disabling, archive files and errors.
local expect = require("expect")
local fixture = require("fixture")
local export = require("export")
local category = require("category")
local room = require("room")

local function sum_messages(r)
  local n = 0
  for _, x in ipairs(r.rooms) do n = n + x.messages end
  return n
end

local function count_ops(op)
  local n = 0
  for _, a in ipairs(fixture.plan()) do
    if a.module .. "." .. a.op == op then n = n + 1 end
  end
  return n
end

function TestExportAll()
  local r = export.run("source", { file = "out/all.zip" })
  expect.eq(r.archive, fixture.dir .. "/out/all.zip", "a relative file is in the estate folder")
  expect.ok(fixture.read("out/all.zip"), "the archive was written")
  expect.eq(r.level, "All")
  expect.eq(r.counts.categories, #category.list("source"))
  expect.eq(r.counts.rooms, #room.list("source"))
  expect.eq(r.counts.addins, 2)
  expect.eq(r.counts.messages, 500)
  expect.ok(r.counts.principals > 24, "users, groups, containers")
  expect.eq(#r.rooms, r.counts.rooms)
  expect.eq(sum_messages(r), 500)
  expect.eq(r.disabled_rooms, 0)
  expect.eq(type(r.duration_ns), "number")
  expect.eq(type(r.started), "string")
  expect.ok(r.started:match("^%d%d%d%d%-%d%d%-%d%dT"), "RFC 3339: " .. r.started)
  expect.eq(r.since, nil)
  expect.eq(type(r.warnings), "table")
  for _, x in ipairs(r.rooms) do
    expect.eq(type(x.name), "string")
    expect.eq(type(x.category), "string")
    expect.eq(type(x.messages), "number")
    expect.eq(type(x.disabled), "boolean")
  end
  expect.eq(count_ops("export.write archive"), 1)
  expect.eq(count_ops("export.disable rooms"), 0)
end

function TestDefaultFileIsTheEstateArchive()
  local estate = require("estate")
  local r = export.run("source")
  expect.eq(r.archive, estate.archive)
  expect.ok(fixture.read("archive/pchat-2015.zip"))
end

function TestLevels()
  local cats, rooms = #category.list("source"), #room.list("source")
  local cases = {
    { level = "User",          categories = 0,    rooms = 0,     messages = 0 },
    { level = "Category",      categories = cats, rooms = 0,     messages = 0 },
    { level = "RoomDirectory", categories = cats, rooms = rooms, messages = 0 },
    { level = "Content",       categories = cats, rooms = rooms, messages = 500 },
    { level = "all",           categories = cats, rooms = rooms, messages = 500 },
  }
  for i, c in ipairs(cases) do
    local r = export.run("source", { file = "out/" .. i .. ".zip", level = c.level })
    expect.ok(r.counts.principals > 0, c.level .. ": principals are always exported")
    expect.eq(r.counts.categories, c.categories, c.level .. ": categories")
    expect.eq(r.counts.rooms, c.rooms, c.level .. ": rooms")
    expect.eq(r.counts.messages, c.messages, c.level .. ": messages")
  end
end

function TestScope()
  local want = 0
  for _, c in ipairs(category.list("source")) do
    if c.name == "Sales" then want = c.rooms end
  end
  expect.ok(want > 0)
  local r = export.run("source", { file = "out/sales.zip", scope = { "sales" } })
  expect.eq(r.counts.categories, 1)
  expect.eq(r.counts.rooms, want)
  expect.eq(r.scope, { "sales" })
  for _, x in ipairs(r.rooms) do
    expect.eq(x.category, "Sales")
  end
  -- A single name counts as a list of one.
  expect.eq(export.run("source", { file = "out/one.zip", scope = "Sales" }).counts.categories, 1)
end

function TestUnknownScope()
  local err = expect.error(function()
    export.run("source", { file = "out/x.zip", scope = { "Sales", "Nowhere", "Gone" } })
  end, "not_found", '"Nowhere", "Gone"')
  expect.eq(err.op, "export.run")
  expect.eq(fixture.read("out/x.zip"), nil, "nothing was written")
end

function TestSince()
  local r = export.run("source", { file = "out/future.zip", since = "2099-01-01" })
  expect.eq(r.counts.messages, 0)
  expect.eq(r.counts.rooms, #room.list("source"), "rooms are exported whatever their age")
  expect.eq(r.since, "2099-01-01T00:00:00Z")
  local all = export.run("source", { file = "out/past.zip", since = "2000-01-01T00:00:00Z" })
  expect.eq(all.counts.messages, 500)
end

function TestDisableExported()
  local before = 0
  for _, x in ipairs(room.list("source")) do
    if not x.disabled then before = before + 1 end
  end
  local r = export.run("source", { file = "out/d.zip", disable_exported = true })
  expect.eq(r.disabled_rooms, before)
  for _, x in ipairs(room.list("source")) do
    expect.eq(x.disabled, true, x.name)
  end
  expect.eq(count_ops("export.disable rooms"), 1)
end

function TestOverwrite()
  export.run("source", { file = "out/a.zip", level = "User" })
  local err = expect.error(function() export.run("source", { file = "out/a.zip" }) end, "io")
  expect.eq(err.op, "export.run")
  local r = export.run("source", { file = "out/a.zip", overwrite = true })
  expect.eq(r.counts.messages, 500)
end

function TestPoolTable()
  local estate = require("estate")
  -- A pool given as a table, with a db relative to the estate folder.
  local r = export.run({ pool = "pchat15.contoso.com", db = "sqlite:source-2015.db" }, { file = "out/t.zip" })
  expect.eq(r.counts.messages, 500)
  -- By FQDN.
  r = export.run(estate.source.pool, { file = "out/f.zip", level = "User" })
  expect.eq(r.level, "User")
end

function TestBadArguments()
  expect.error(function() export.run("nowhere.contoso.com", { file = "out/x.zip" }) end, "not_found", "nowhere.contoso.com")
  expect.error(function() export.run("source", { file = "out/x.zip", level = "Everything" }) end, "argument", "Everything")
  expect.error(function() export.run("source", { file = "out/x.zip", since = "yesterday" }) end, "argument", "yesterday")
  expect.error(function() export.run(42) end, nil, "bad argument #1")
  expect.error(function() export.run({ pool = "x.contoso.com" }) end, nil, "needs a db field")
  expect.error(function() export.run("source", "all") end, nil, "options table expected")
  expect.error(function() export.run("source", { file = 7 }) end, nil, "option file: string expected")
  expect.error(function() export.run({ pool = "x.contoso.com", db = "sqlite:missing.db" }, { file = "out/x.zip" }) end, nil, "missing.db")
end
