-- Every module in a dry run: reads see the real data, writes go to a
-- simulated view that later calls see, and no file of the estate changes.
local expect = require("expect")
local fixture = require("fixture")
local estate = require("estate")
local export = require("export")
local import = require("import")
local category = require("category")
local creator = require("creator")
local room = require("room")
local topology = require("topology")
local user = require("user")

-- snapshot returns every file of the estate folder with its content.
local function snapshot()
  local out = {}
  for _, name in ipairs(fixture.files()) do out[name] = fixture.read(name) end
  return out
end

local function same(before, what)
  local after = snapshot()
  for name, text in pairs(after) do
    expect.ok(before[name] ~= nil, what .. ": new file " .. name)
    expect.ok(before[name] == text, what .. ": " .. name .. " changed")
  end
  for name in pairs(before) do
    expect.ok(after[name] ~= nil, what .. ": " .. name .. " is gone")
  end
end

local function ops()
  local out = {}
  for _, a in ipairs(fixture.plan()) do table.insert(out, a.module .. "." .. a.op) end
  return out
end

function TestFlags()
  expect.eq(estate.dry_run(), true)
  expect.eq(require("pcmig").dry_run, true)
end

function TestExportThenImport()
  local before = snapshot()
  local ex = export.run("source")
  expect.eq(ex.archive, estate.archive, "the result names the file the real run writes")
  expect.eq(ex.counts.messages, 500)
  expect.eq(fixture.read("archive/pchat-2015.zip"), nil, "but it is not written")
  -- The import reads what the export "wrote".
  local r = import.run("target")
  expect.eq(r.messages.to_import, 500)
  expect.eq(r.messages.imported, 0, "messages are counted, not copied")
  expect.eq(r.dry_run, true)
  expect.eq(#r.categories, ex.counts.categories)
  -- Later calls see the simulated structure.
  expect.eq(#category.list("target"), ex.counts.categories)
  expect.eq(#room.list("target"), ex.counts.rooms)
  expect.eq(category.compare("source", "target").missing, {})
  expect.eq(creator.carry_over("source", "target").added, 0, "the import brought the creators")
  same(before, "export and import")
  local want = { "export.write archive", "import.add principals", "import.add affiliations", "import.add add-ins" }
  expect.eq({ unpack(ops(), 1, 4) }, want)
end

function TestExportRefusesWhatTheRealRunWould()
  export.run("source", { file = "out/a.zip" })
  expect.error(function() export.run("source", { file = "out/a.zip" }) end, "io", "already exists")
  expect.eq(export.run("source", { file = "out/a.zip", overwrite = true }).counts.messages, 500)
  expect.error(function() import.run("target", { file = "out/nowhere.zip" }) end, "io")
end

function TestStructureWrites()
  local before = snapshot()
  local c = category.create("source", { name = "Dry", allowed_members = { "sip:pcadmin@contoso.com" }, creators = { "sip:pcadmin@contoso.com" } })
  expect.eq(category.get("source", "Dry"), c)
  category.update("source", "Dry", { description = "changed" })
  expect.eq(category.get("source", "Dry").description, "changed")
  room.create("source", { name = "Dry Room", category = "Dry", creator = "sip:pcadmin@contoso.com" })
  expect.eq(#room.list("source", { category = "Dry" }), 1)
  expect.eq(room.disable("source", "Dry Room"), true)
  room.remove("source", "Dry Room")
  expect.eq(room.list("source", { category = "Dry" }), {})
  expect.eq(creator.remove("source", "Dry", { "sip:pcadmin@contoso.com" }).removed, 1)
  expect.eq(creator.add("source", "Dry", { "sip:pcadmin@contoso.com" }).added, 1)
  expect.eq(ops(), { "category.create", "category.update", "room.create", "room.disable", "room.remove", "creator.remove", "creator.add" })
  same(before, "category, room and creator writes")
end

function TestTopologyAndUsers()
  local before = snapshot()
  local doc = topology.load(estate.topology)
  expect.eq(doc:set_default_pool(estate.site, estate.target.pool), true)
  expect.eq(topology.load(estate.topology):default_pool(estate.site), estate.target.pool)
  local dir = user.load(estate.directory)
  local r = dir:move(dir:select({ pool = estate.source.registrar }), estate.target.registrar)
  expect.ok(r.moved > 0)
  expect.eq(#user.load(estate.directory):select({ pool = estate.target.registrar }), r.moved)
  expect.eq(ops(), { "topology.set default pool", "user.move" })
  same(before, "topology and user changes")
  expect.eq(fixture.runbook(), nil, "a lab estate needs no runbook, dry or not")
end

function TestVerifyComparesTheSimulatedStructure()
  local verify = require("verify")
  local before = snapshot()
  export.run("source")
  import.run("target")
  local r = verify.run("source", "target")
  expect.eq(r.verdict, "EQUAL")
  expect.eq(r.structure_only, true)
  expect.eq(r.totals.source.rooms, r.totals.target.rooms)
  expect.eq(r.totals.target.messages, 0)
  same(before, "verify in a dry run")
end

function TestPoolStepsWriteNothing()
  local pool = require("pool")
  local before = snapshot()
  local r = pool.copy_files("source", "target")
  expect.ok(#r.missing > 0, "a dry run lists the files it would copy")
  expect.eq(r.copied, 0)
  local s = pool.carry_settings("source", "target")
  expect.ok(#s.changes > 0, "a dry run says what it would change")
  same(before, "pool steps in a dry run")
end
