-- pool.copy_files and pool.carry_settings on a lab estate.
local expect = require("expect")
local fixture = require("fixture")
local pool = require("pool")

function TestCopyFiles()
  local r = pool.copy_files("source", "target")
  expect.eq(r.runbook, false)
  expect.ok(r.source.files > 0, "the lab has uploaded files")
  expect.eq(r.copied, r.source.files)
  expect.eq(r.kept, 0)
  expect.eq(r.missing, {})
  expect.eq(r.target, r.source)
  -- A second copy keeps everything.
  local again = pool.copy_files("source", "target")
  expect.eq(again.copied, 0)
  expect.eq(again.kept, r.source.files)
end

function TestCopyFilesNeedsAFileStore()
  local ok, err = pcall(pool.copy_files, "source", { db = "sqlite:target-2019.db", pool = "pchat19.contoso.com" })
  expect.eq(ok, false)
  expect.eq(err.kind, "argument")
end

function TestCarrySettings()
  local r = pool.carry_settings("source", "target")
  expect.eq(r.runbook, false)
  local actions = {}
  for _, c in ipairs(r.changes) do actions[c.kind] = c.action end
  expect.eq(actions, { configuration = "create", compliance = "create", endpoint = "move" })
  expect.ok(fixture.read("pool-settings.json"):find("service:PersistentChatServer:pchat19.contoso.com", 1, true), "the file holds the new pool's scope")
  for _, c in ipairs(pool.carry_settings("source", "target").changes) do
    expect.eq(c.action, "unchanged", c.kind)
  end
end
