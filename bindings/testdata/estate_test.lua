-- The estate module: the estate file as a table, with paths made absolute.
local expect = require("expect")
local fixture = require("fixture")

function TestFields()
  local estate = require("estate")
  expect.eq(estate.name, "Contoso lab")
  expect.eq(estate.kind, "lab")
  expect.eq(estate.site, "Redmond")
  expect.eq(estate.on_conflict, "merge")
  expect.eq(estate.move_batch, 50)
  expect.eq(estate.allow_other_site, false)
  expect.eq(estate.category_policy, "merge", "the default policy is filled in")
  expect.eq(estate.source.pool, "pchat15.contoso.com")
  expect.eq(estate.source.registrar, "fe15.contoso.com")
  expect.eq(estate.source.db, "sqlite:source-2015.db", "db as the file gives it")
  expect.eq(estate.target.pool, "pchat19.contoso.com")
  expect.eq(estate.target.registrar, "fe19.contoso.com")
  expect.eq(estate.export.level, "All")
  expect.eq(estate.export.disable_exported, false)
  expect.eq(estate.creators["*"], { "sip:pcadmin@contoso.com" })
end

function TestPathsAreAbsolute()
  local estate = require("estate")
  local dir = fixture.dir
  expect.eq(estate.file, dir .. "/estate.lua")
  expect.eq(estate.topology, dir .. "/topology.xml")
  expect.eq(estate.directory, dir .. "/users.csv")
  expect.eq(estate.archive, dir .. "/archive/pchat-2015.zip")
  expect.eq(estate.runbook, dir .. "/runbook.ps1")
  expect.eq(estate.state, dir .. "/.pcmig")
end

function TestIsLabAndDryRun()
  local estate = require("estate")
  expect.eq(estate.is_lab(), true)
  expect.eq(estate.dry_run(), false)
  expect.eq(require("pcmig").dry_run, false)
end
