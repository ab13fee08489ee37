-- creator: list, add, remove and carry_over, with the eligibility rule.
local expect = require("expect")
local fixture = require("fixture")
local creator = require("creator")
local category = require("category")
local export = require("export")
local import = require("import")

local function ops(op)
  local n, count = 0, 0
  for _, a in ipairs(fixture.plan()) do
    if a.module .. "." .. a.op == op then n, count = n + 1, count + a.count end
  end
  return n, count
end

local function contains(list, v)
  for _, x in ipairs(list) do
    if x == v then return true end
  end
  return false
end

-- sales returns the source's Sales category and three of its principals:
-- an allowed user who is not a creator, a creator, and a denied user.
local function sales()
  local c = category.get("source", "Sales")
  local allowed, denied
  for _, uri in ipairs(c.allowed_members) do
    if uri:match("^sip:") and not contains(c.creators, uri) then allowed = uri end
  end
  for _, uri in ipairs(c.denied_members) do
    if uri:match("^sip:") then denied = uri end
  end
  expect.ok(allowed and denied, "the lab's Sales names users in both lists")
  return c, allowed, c.creators[1], denied
end

function TestList()
  local c = sales()
  expect.eq(creator.list("source", "sales"), c.creators)
  expect.error(function() creator.list("target", "Sales") end, "not_found", "pchat19.contoso.com")
end

function TestAdd()
  local c, allowed, existing, denied = sales()
  local r = creator.add("source", "Sales", { allowed, existing, denied, "sip:nobody@contoso.com" })
  expect.eq(r.added, 1)
  expect.eq(r.not_allowed, 1)
  expect.eq(r.unknown, 1)
  expect.eq(r.missing_categories, {})
  expect.eq(r.categories, { {
    name = "Sales", added = { allowed }, already = { existing }, not_allowed = { denied }, unknown = { "sip:nobody@contoso.com" },
  } })
  local now = creator.list("source", "Sales")
  expect.ok(contains(now, allowed), "added")
  expect.eq(contains(now, denied), false, "a principal outside the allowed members is not written")
  expect.eq(#now, #c.creators + 1)
  local n, count = ops("creator.add")
  expect.eq(n, 1)
  expect.eq(count, 1)
  expect.eq(fixture.runbook(), nil, "a lab estate needs no runbook")
  -- Again: nothing to add, nothing recorded; a lone string is a list of one.
  r = creator.add("source", "Sales", allowed)
  expect.eq(r.added, 0)
  expect.eq(r.categories[1].already, { allowed })
  expect.eq((ops("creator.add")), 1)
end

function TestAddErrors()
  local err = expect.error(function() creator.add("source", "Nowhere", { "sip:pcadmin@contoso.com" }) end, "not_found", "Nowhere")
  expect.eq(err.op, "creator.add")
  expect.error(function() creator.add("source", "Sales") end, nil, "bad argument #3")
  expect.error(function() creator.add("source", "Sales", { 1 }) end, nil, "string expected")
  expect.error(function() creator.list("source", "Nowhere") end, "not_found")
end

function TestRemove()
  local c = sales()
  local r = creator.remove("source", "Sales", c.creators[1])
  expect.eq(r, { removed = 1 })
  expect.eq(contains(creator.list("source", "Sales"), c.creators[1]), false)
  expect.eq(creator.remove("source", "Sales", { c.creators[1] }), { removed = 0 })
  local n, count = ops("creator.remove")
  expect.eq(n, 1)
  expect.eq(count, 1)
  expect.error(function() creator.remove("source", "Sales", { "sip:nobody@contoso.com" }) end, "validation", "sip:nobody@contoso.com")
  expect.error(function() creator.remove("source", "Nowhere", { "sip:pcadmin@contoso.com" }) end, "not_found")
end

-- migrated imports the whole source into the target.
local function migrated()
  export.run("source", { file = "out/all.zip" })
  import.run("target", { file = "out/all.zip" })
end

function TestCarryOver()
  migrated()
  local first = category.list("source")[1]
  for _, uri in ipairs(first.creators) do creator.remove("target", first.name, uri) end
  expect.eq(creator.list("target", first.name), {})
  local r = creator.carry_over("source", "target")
  expect.eq(r.added, #first.creators)
  expect.eq(r.not_allowed, 0)
  expect.eq(r.unknown, 0)
  expect.eq(r.missing_categories, {})
  expect.eq(#r.categories, #category.list("source"))
  for _, cc in ipairs(r.categories) do
    if cc.name == first.name then
      expect.eq(cc.added, first.creators)
    else
      expect.eq(cc.added, {}, cc.name)
      expect.eq(#cc.already > 0, true, cc.name)
    end
  end
  expect.eq(creator.list("target", first.name), first.creators)
  -- Carrying over again adds nothing.
  expect.eq(creator.carry_over("source", "target").added, 0)
end

function TestCarryOverSomeCategories()
  migrated()
  for _, c in ipairs(category.list("target")) do
    for _, uri in ipairs(c.creators) do creator.remove("target", c.name, uri) end
  end
  local r = creator.carry_over("source", "target", { categories = { "sales" } })
  expect.eq(#r.categories, 1)
  expect.eq(r.categories[1].name, "Sales")
  expect.eq(creator.list("target", "Finance"), {}, "other categories are left alone")
  expect.eq(creator.list("target", "Sales"), category.get("source", "Sales").creators)
  expect.error(function() creator.carry_over("source", "target", { categories = { "Sales", "Nowhere" } }) end, "not_found", "Nowhere")
end

function TestCarryOverMissingAndNotAllowed()
  -- Principals only: the target has the people but none of the categories.
  export.run("source", { file = "out/users.zip", level = "User" })
  import.run("target", { file = "out/users.zip" })
  category.create("target", { name = "Sales", allowed_members = { "sip:pcadmin@contoso.com" } })
  local src = category.get("source", "Sales")
  local r = creator.carry_over("source", "target")
  expect.eq(r.added, 0)
  expect.eq(r.not_allowed, #src.creators)
  expect.eq(r.categories, { { name = "Sales", added = {}, already = {}, not_allowed = src.creators, unknown = {} } })
  expect.eq(#r.missing_categories, #category.list("source") - 1)
  expect.eq(contains(r.missing_categories, "Sales"), false)
  expect.eq(creator.list("target", "Sales"), {}, "not written")
  expect.eq((ops("creator.add")), 0)
end

function TestCarryOverUnknownPrincipals()
  -- No principals in the target: every creator is unknown there.
  category.create("target", { name = "Sales" })
  local src = category.get("source", "Sales")
  local r = creator.carry_over("source", "target", { categories = { "Sales" } })
  expect.eq(r.unknown, #src.creators)
  expect.eq(r.categories[1].unknown, src.creators)
  expect.eq(creator.list("target", "Sales"), {})
end
