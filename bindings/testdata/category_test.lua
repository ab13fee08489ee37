-- category: list, get, compare, create and update, with their errors.
local expect = require("expect")
local fixture = require("fixture")
local category = require("category")
local room = require("room")

local function ops(op)
  local n = 0
  for _, a in ipairs(fixture.plan()) do
    if a.module .. "." .. a.op == op then n = n + 1 end
  end
  return n
end

function TestList()
  local cats = category.list("source")
  expect.eq(#cats, 6)
  local rooms = 0
  for _, c in ipairs(cats) do
    expect.eq(type(c.name), "string")
    expect.eq(type(c.guid), "string", "a GUID is a string")
    expect.ok(c.guid:match("^%x+%-%x+%-%x+%-%x+%-%x+$"), c.guid)
    expect.eq(type(c.description), "string")
    expect.eq(type(c.invitations), "boolean")
    expect.eq(type(c.file_upload), "boolean")
    expect.eq(type(c.chat_history), "boolean")
    expect.eq(type(c.allowed_members), "table")
    expect.eq(type(c.denied_members), "table")
    expect.ok(#c.allowed_members > 0, c.name .. " has allowed members")
    expect.ok(#c.creators > 0, c.name .. " has creators")
    for _, uri in ipairs(c.creators) do
      expect.ok(uri:match("^sip:"), uri)
    end
    expect.eq(c.rooms, #room.list("source", { category = c.name }), c.name)
    rooms = rooms + c.rooms
  end
  expect.eq(rooms, #room.list("source"))
  expect.eq(category.list("target"), {}, "the target starts empty")
end

function TestGet()
  local c = category.get("source", "sales")
  expect.eq(c.name, "Sales", "names match in any case")
  expect.eq(category.get("source", "Människor & Kultur").name, "Människor & Kultur")
  expect.eq(category.get("source", "Nowhere"), nil)
  expect.eq(category.get("target", "Sales"), nil)
end

function TestCreate()
  local c = category.create("source", {
    name = "Migration", description = "made by a test", invitations = false, file_upload = false,
    allowed_members = { "sip:pcadmin@contoso.com", "jose.nunez@contoso.com" },
    denied_members = {}, creators = { "sip:pcadmin@contoso.com" },
  })
  expect.eq(c.name, "Migration")
  expect.eq(c.description, "made by a test")
  expect.eq(c.invitations, false)
  expect.eq(c.file_upload, false)
  expect.eq(c.chat_history, true, "defaults to true")
  expect.eq(c.allowed_members, { "sip:jose.nunez@contoso.com", "sip:pcadmin@contoso.com" }, "a bare user@domain is a SIP URI")
  expect.eq(c.creators, { "sip:pcadmin@contoso.com" })
  expect.eq(c.rooms, 0)
  expect.eq(category.get("source", "Migration"), c)
  expect.eq(ops("category.create"), 1)
  -- The least a category needs is a name.
  local bare = category.create("target", { name = "Bare" })
  expect.eq(bare.allowed_members, {})
  expect.eq(bare.invitations, true)
end

function TestCreateErrors()
  local err = expect.error(function() category.create("source", { name = "SALES" }) end, "conflict", "already exists")
  expect.eq(err.op, "category.create")
  expect.ok(err.where:match("category_test.lua:%d+$"), err.where)
  expect.error(function() category.create("source", { name = string.rep("x", 257) }) end, "validation", "257 characters")
  expect.error(function() category.create("source", { name = "Long", description = string.rep("é", 257) }) end, "validation", "description")
  expect.error(function()
    category.create("source", { name = "Ghosts", allowed_members = { "sip:pcadmin@contoso.com", "sip:nobody@contoso.com" } })
  end, "validation", "sip:nobody@contoso.com")
  expect.error(function()
    category.create("source", { name = "Ghosts", denied_members = "sip:nobody@contoso.com" })
  end, "validation", "denied_members")
  expect.error(function()
    category.create("source", { name = "Ghosts", allowed_members = { "sip:pcadmin@contoso.com" }, creators = { "sip:jose.nunez@contoso.com" } })
  end, "validation", "not within the category's allowed members")
  expect.error(function()
    category.create("source", { name = "Ghosts", allowed_members = { "sip:pcadmin@contoso.com" }, denied_members = { "sip:pcadmin@contoso.com" }, creators = { "sip:pcadmin@contoso.com" } })
  end, "validation", "allowed members minus denied members")
  expect.error(function() category.create("source", {}) end, nil, "name is required")
  expect.error(function() category.create("source", { name = "x", allowed_members = { 1 } }) end, nil, "allowed_members[1]: string expected")
  expect.eq(category.get("source", "Ghosts"), nil, "nothing was created")
  expect.eq(ops("category.create"), 0)
  -- 256 characters is the longest name allowed.
  local long = string.rep("ü", 256)
  expect.eq(category.create("source", { name = long }).name, long)
end

function TestUpdate()
  local c = category.update("source", "sales", { description = "new words", invitations = false })
  expect.eq(c.name, "Sales")
  expect.eq(c.description, "new words")
  expect.eq(c.invitations, false)
  expect.eq(ops("category.update"), 1)
  local renamed = category.update("source", "Sales", { new_name = "Sales & Marketing" })
  expect.eq(renamed.name, "Sales & Marketing")
  expect.eq(renamed.guid, c.guid)
  expect.eq(renamed.rooms, c.rooms, "the rooms move with it")
  expect.eq(category.get("source", "Sales"), nil)
  -- Nothing to change records nothing.
  category.update("source", "Sales & Marketing", { description = "new words" })
  expect.eq(ops("category.update"), 2)
  -- A change of case only is a rename, not a conflict.
  expect.eq(category.update("source", "Sales & Marketing", { new_name = "SALES & MARKETING" }).name, "SALES & MARKETING")
end

function TestUpdateErrors()
  local err = expect.error(function() category.update("source", "Nowhere", { description = "x" }) end, "not_found", "Nowhere")
  expect.eq(err.op, "category.update")
  expect.error(function() category.update("source", "Sales", { new_name = "finance" }) end, "conflict", "finance")
  expect.error(function() category.update("source", "Sales", { new_name = string.rep("x", 300) }) end, "validation", "300 characters")
  expect.error(function() category.update("source", "Sales", { new_name = "" }) end, nil, "new_name")
  expect.eq(category.get("source", "Sales").name, "Sales", "unchanged")
  expect.eq(ops("category.update"), 0)
end

function TestCompare()
  local cmp = category.compare("source", "target")
  expect.eq(#cmp.missing, 6)
  expect.eq(cmp.present, {})
  expect.eq(cmp.extra, {})
  expect.eq(cmp.different, {})
  local sales = category.get("source", "Sales")
  category.create("target", { name = "Sales", description = sales.description, invitations = sales.invitations,
    file_upload = sales.file_upload, chat_history = sales.chat_history })
  category.create("target", { name = "finance", description = "other words" })
  category.create("target", { name = "Only Here" })
  cmp = category.compare("source", "target")
  expect.eq(#cmp.missing, 4)
  table.sort(cmp.present)
  expect.eq(cmp.present, { "Finance", "Sales" })
  expect.eq(cmp.extra, { "Only Here" })
  expect.eq(#cmp.different, 2)
  local byname = {}
  for _, d in ipairs(cmp.different) do byname[d.name] = table.concat(d.differences, "\n") end
  expect.ok(byname.Finance:find('description: "Budgets, forecasts and the quarter close" in the source, "other words" in the target', 1, true), byname.Finance)
  expect.ok(byname.Finance:find("allowed_members missing in the target: ", 1, true), byname.Finance)
  expect.ok(byname.Sales:find("creators missing in the target", 1, true), byname.Sales)
  expect.eq(byname.Sales:find("description", 1, true), nil, byname.Sales)
  expect.error(function() category.compare("source") end, nil, "bad argument #2")
end
