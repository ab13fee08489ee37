-- verify.run: the reconciliation after an import, differences it names,
-- options and errors.
local expect = require("expect")
local export = require("export")
local import = require("import")
local room = require("room")
local verify = require("verify")

local function migrate()
  export.run("source", { overwrite = true })
  import.run("target")
  require("pool").copy_files("source", "target")
end

function TestMissingUploadedFiles()
  export.run("source", { overwrite = true })
  import.run("target")
  local r = verify.run("source", "target")
  expect.eq(r.verdict, "DIFFERENT")
  expect.ok(r.uploaded_files.links > 0, "links checked")
  expect.eq(r.uploaded_files.missing, r.uploaded_files.links)
  for _, d in ipairs(r.differences) do
    expect.ok(d.text:find("missing from the target's file store", 1, true), d.text)
  end
end

function TestEqualAfterMigration()
  migrate()
  local r = verify.run("source", "target")
  expect.eq(r.verdict, "EQUAL")
  expect.eq(r.equal, true)
  expect.eq(r.differences, {})
  expect.eq(r.structure_only, false)
  expect.eq(r.totals.source, r.totals.target)
  expect.ok(r.totals.source.messages > 0, "messages compared")
  expect.eq(#r.sources, 1)
  expect.ok(r.uploaded_files.links > 0, "file links checked")
  expect.eq(r.uploaded_files.missing, 0)
  expect.ok(r.sources[1].import_journal ~= nil, "the import journal was read")
  for _, rm in ipairs(r.rooms) do
    expect.eq(rm.source_digest, rm.target_digest, rm.name)
    expect.eq(#rm.source_digest, 64, rm.name)
    expect.eq(rm.equal, true, rm.name)
  end
  for _, c in ipairs(r.categories) do
    expect.eq(c.source_rooms, c.target_rooms, c.name)
    expect.eq(c.source_messages, c.target_messages, c.name)
  end
end

function TestNamesARoomMissingInTheTarget()
  migrate()
  local victim = room.list("target")[1].name
  room.remove("target", victim)
  local r = verify.run("source", "target")
  expect.eq(r.verdict, "DIFFERENT")
  expect.eq(#r.differences, 1)
  expect.eq(r.differences[1].object, "room " .. victim)
  expect.ok(r.differences[1].text:find("in the source, not in the target", 1, true), r.differences[1].text)
end

function TestScopeAndLists()
  migrate()
  local r = verify.run({ "source" }, "target", { scope = { "Engineering" }, archive = { "archive/pchat-2015.zip" } })
  expect.eq(r.verdict, "EQUAL")
  expect.eq(#r.categories, 1)
  expect.eq(r.categories[1].name, "Engineering")
end

function TestErrors()
  migrate()
  local ok, err = pcall(verify.run, "source", "target", { scope = { "No such category" } })
  expect.eq(ok, false)
  expect.eq(err.kind, "argument")
  ok, err = pcall(verify.run, "nowhere", "target")
  expect.eq(ok, false)
  expect.eq(err.kind, "not_found")
  ok, err = pcall(verify.run, "source", "target", { archive = { "a.zip", "b.zip" } })
  expect.eq(ok, false)
end
