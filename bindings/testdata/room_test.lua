-- room: list, can_create, create (the eligibility rules), disable, remove.
local expect = require("expect")
local fixture = require("fixture")
local room = require("room")
local category = require("category")

local function ops(op)
  local n = 0
  for _, a in ipairs(fixture.plan()) do
    if a.module .. "." .. a.op == op then n = n + 1 end
  end
  return n
end

local function contains(list, v)
  for _, x in ipairs(list) do
    if x == v then return true end
  end
  return false
end

-- sales returns the source's Sales category, one of its creators, an
-- allowed user who is not a creator and a denied user.
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
  return c, c.creators[1], allowed, denied
end

function TestList()
  local rooms = room.list("source")
  expect.eq(#rooms, 12)
  local seen = {}
  for _, r in ipairs(rooms) do
    expect.eq(type(r.name), "string")
    expect.eq(type(r.guid), "string", "a GUID is a string")
    expect.ok(r.guid:match("^%x+%-%x+%-%x+%-%x+%-%x+$"), r.guid)
    expect.ok(category.get("source", r.category), r.category)
    expect.ok(contains({ "Open", "Closed", "Secret" }, r.privacy), r.privacy)
    expect.ok(contains({ "Normal", "Auditorium" }, r.type), r.type)
    expect.ok(contains({ "Inherit", "False" }, r.invitations), r.invitations)
    expect.eq(type(r.disabled), "boolean")
    expect.eq(type(r.addin), "string")
    expect.ok(#r.managers > 0, r.name)
    if r.type == "Normal" then expect.eq(r.presenters, {}, r.name) end
    seen[r.category] = (seen[r.category] or 0) + 1
  end
  for name, n in pairs(seen) do
    local only = room.list("source", { category = string.upper(name) })
    expect.eq(#only, n, name)
    for _, r in ipairs(only) do expect.eq(r.category, name) end
  end
  expect.eq(room.list("source", { category = "Nowhere" }), {})
  expect.eq(room.list("target"), {})
end

function TestCanCreate()
  local _, creator, allowed = sales()
  local ok, why = room.can_create("source", "sales", creator)
  expect.eq(ok, true)
  expect.eq(why, nil)
  ok, why = room.can_create("source", "Sales", allowed)
  expect.eq(ok, false)
  expect.ok(why:find("is not a creator of category \"Sales\"", 1, true), why)
  ok, why = room.can_create("source", "Sales", "sip:nobody@contoso.com")
  expect.eq(ok, false)
  expect.ok(why:find("not provisioned", 1, true), why)
  local err = expect.error(function() room.can_create("source", "Nowhere", creator) end, "not_found", "Nowhere")
  expect.eq(err.op, "room.can_create")
end

function TestCreate()
  local _, creator, allowed = sales()
  local r = room.create("source", { name = "Launch Plans", category = "sales", creator = creator,
    members = { allowed }, description = "made by a test" })
  expect.eq(r.name, "Launch Plans")
  expect.eq(r.category, "Sales")
  expect.eq(r.description, "made by a test")
  expect.eq(r.privacy, "Closed")
  expect.eq(r.type, "Normal")
  expect.eq(r.invitations, "Inherit")
  expect.eq(r.disabled, false)
  expect.eq(r.addin, "")
  expect.eq(r.managers, { creator }, "the creator manages the room")
  local members = { allowed, creator }
  table.sort(members)
  expect.eq(r.members, members, "and is a member")
  expect.eq(type(r.guid), "string")
  expect.eq(ops("room.create"), 1)
  expect.ok(contains((function()
    local out = {}
    for _, x in ipairs(room.list("source", { category = "Sales" })) do table.insert(out, x.name) end
    return out
  end)(), "Launch Plans"))
  local a = room.create("source", { name = "Town Hall", category = "Sales", type = "Auditorium", privacy = "Open",
    invitations = "False", presenters = { allowed }, managers = { creator }, addin = "contoso wiki" })
  expect.eq(a.type, "Auditorium")
  expect.eq(a.privacy, "Open")
  expect.eq(a.invitations, "False")
  expect.eq(a.presenters, { allowed })
  expect.eq(a.addin, "Contoso Wiki")
  expect.eq(a.members, {}, "without a creator nobody is added")
end

function TestCreateErrors()
  local _, creator, allowed, denied = sales()
  local existing = room.list("source")[1].name
  local cases = {
    { { name = string.upper(existing), category = "Sales" }, "conflict", "already exists" },
    { { name = "R", category = "Nowhere" }, "not_found", "every room needs an existing category" },
    { { name = "R", category = "Sales", creator = allowed }, "validation", "is not a creator" },
    { { name = "R", category = "Sales", creator = "sip:nobody@contoso.com" }, "validation", "not provisioned" },
    { { name = "R", category = "Sales", presenters = { allowed } }, "validation", "auditorium rooms only" },
    { { name = "R", category = "Sales", members = { denied } }, "validation", "member " .. denied .. " is not within" },
    { { name = "R", category = "Sales", managers = { denied } }, "validation", "manager " .. denied },
    { { name = "R", category = "Sales", type = "Auditorium", presenters = { denied } }, "validation", "presenter " .. denied },
    { { name = "R", category = "Sales", members = { "sip:nobody@contoso.com" } }, "validation", "unknown principals sip:nobody@contoso.com" },
    { { name = "R", category = "Sales", privacy = "Public" }, "argument", "Public" },
    { { name = "R", category = "Sales", type = "Huge" }, "argument", "Huge" },
    { { name = "R", category = "Sales", invitations = "True" }, "argument", "Inherit or False" },
    { { name = "R", category = "Sales", addin = "Nope" }, "not_found", "add-in \"Nope\"" },
    { { name = string.rep("r", 257), category = "Sales" }, "validation", "257 characters" },
    { { name = "R", category = "Sales", description = string.rep("d", 300) }, "validation", "room description" },
  }
  for i, c in ipairs(cases) do
    local err = expect.error(function() room.create("source", c[1]) end, c[2], c[3])
    expect.eq(err.op, "room.create", "case " .. i)
  end
  expect.error(function() room.create("source", { name = "R" }) end, nil, "name and category are required")
  expect.error(function() room.create("source", { category = "Sales" }) end, nil, "name and category are required")
  expect.eq(#room.list("source"), 12, "nothing was created")
  expect.eq(ops("room.create"), 0)
  -- Members of an allowed group are allowed.
  expect.ok(room.create("source", { name = "R", category = "Sales", creator = creator }))
end

function TestCreatorMustBeAllowed()
  -- A creator allowed through a group, then denied by name.
  local cat, creator
  for _, c in ipairs(category.list("source")) do
    for _, uri in ipairs(c.creators) do
      if not contains(c.allowed_members, uri) then cat, creator = c.name, uri end
    end
  end
  expect.ok(creator, "the lab has a creator allowed through a group")
  expect.eq((room.can_create("source", cat, creator)), true)
  fixture.deny(cat, creator)
  local ok, why = room.can_create("source", cat, creator)
  expect.eq(ok, false)
  expect.ok(why:find("is a creator but not within", 1, true), why)
  expect.error(function()
    room.create("source", { name = "R", category = cat, creator = creator })
  end, "validation", "is a creator but not within")
end

function TestDisable()
  local name
  for _, r in ipairs(room.list("source")) do
    if not r.disabled then name = r.name end
  end
  expect.eq(room.disable("source", name), true)
  expect.eq(room.disable("source", name), false, "already disabled")
  for _, r in ipairs(room.list("source")) do
    if r.name == name then expect.eq(r.disabled, true) end
  end
  expect.eq(ops("room.disable"), 1)
  local err = expect.error(function() room.disable("source", "Nowhere") end, "not_found", "Nowhere")
  expect.eq(err.op, "room.disable")
end

function TestRemove()
  local name = room.list("source")[1].name
  room.remove("source", name)
  expect.eq(#room.list("source"), 11)
  for _, r in ipairs(room.list("source")) do expect.ne(r.name, name) end
  expect.eq(ops("room.remove"), 1)
  local err = expect.error(function() room.remove("source", name) end, "not_found", name)
  expect.eq(err.op, "room.remove")
end
