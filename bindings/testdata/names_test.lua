-- Names compare as the database compares them (Store.NameKey): trailing
-- spaces are ignored, as SQL Server's = ignores them; case follows the
-- column's collation (case-insensitive in the embedded store). The target
-- starts with a category "Sales  " (names_test.go).
local expect = require("expect")
local category = require("category")
local room = require("room")

function TestCompareIgnoresTrailingSpaces()
  local cmp = category.compare("source", "target")
  local present = {}
  for _, n in ipairs(cmp.present) do present[n] = true end
  expect.ok(present["Sales"], "Sales is present in the target as \"Sales  \"")
  expect.eq(cmp.extra, {}, "\"Sales  \" is not an extra category")
end

function TestAddinNameAsTheDatabaseCompares()
  local r = room.create("source", { name = "Names probe", category = "Sales", addin = "CONTOSO WIKI  " })
  expect.eq(r.addin, "Contoso Wiki")
end

function TestNameLengthsInUTF16()
  -- 200 emoji are 200 characters but 400 UTF-16 code units: more than
  -- tblNode.nodeName's nvarchar(256) holds.
  expect.error(function() category.create("target", { name = string.rep("🎉", 200) }) end, "validation", "400 characters (UTF-16 code units)")
  expect.error(function() room.create("source", { name = string.rep("🎉", 129), category = "Sales" }) end, "validation", "258 characters (UTF-16 code units)")
  local c = category.create("target", { name = string.rep("🎉", 128) })
  expect.eq(c.name, string.rep("🎉", 128))
end
