-- A real estate (kind = "real"): pcmig does not switch the topology or move
-- users itself; the cmdlets go into the runbook and the files stay as they
-- are. Later calls in the run still see the changes.
local expect = require("expect")
local fixture = require("fixture")
local estate = require("estate")
local topology = require("topology")
local user = require("user")
local creator = require("creator")
local category = require("category")

local function count(text, plain)
  local n, at = 0, 1
  while true do
    local i, j = text:find(plain, at, true)
    if not i then return n end
    n, at = n + 1, j + 1
  end
end

function TestEstate()
  expect.eq(estate.kind, "real")
  expect.eq(estate.is_lab(), false)
end

function TestSetDefaultPool()
  local before = fixture.read("topology.xml")
  local doc = topology.load(estate.topology)
  expect.eq(doc:set_default_pool(estate.site, estate.target.pool), true)
  expect.eq(fixture.read("topology.xml"), before, "the file is left alone")
  expect.eq(doc:default_pool(estate.site), estate.target.pool, "the run sees the change")
  expect.eq(topology.load(estate.topology):default_pool(estate.site), estate.target.pool)
  local rb = fixture.runbook()
  expect.ok(rb:find("Set-CsSite -Identity 'site:Redmond' -DefaultPersistentChatPool 'pchat19.contoso.com'", 1, true), rb)
  expect.eq(doc:set_default_pool(estate.site, estate.target.pool), false)
  expect.eq(count(fixture.runbook(), "Set-CsSite -Identity"), 1, "once")
  local plan = fixture.plan()
  expect.eq(#plan, 1)
  expect.ok(plan[1].detail:find("Set-CsSite in the runbook", 1, true), plan[1].detail)
  -- Validation is the same as on a lab estate.
  expect.error(function() doc:set_default_pool(estate.site, estate.source.registrar) end, "validation", "not a Persistent Chat pool")
end

function TestMoveUsers()
  local before = fixture.read("users.csv")
  local dir = user.load(estate.directory)
  local users = dir:select({ pool = estate.source.registrar })
  local r = dir:move(users, estate.target.registrar, { batch = 5 })
  expect.eq(r.moved, #users)
  expect.eq(#r.users, #users)
  expect.eq(fixture.read("users.csv"), before, "the file is left alone")
  expect.eq(#dir:select({ pool = estate.target.registrar }), #users, "the run sees the moves")
  local rb = fixture.runbook()
  expect.eq(rb:find("-Force", 1, true), nil, "never -Force")
  expect.ok(rb:find("Move-CsUser -Identity $sip -Target $Target -MoveConferenceData", 1, true), rb)
  local batches = math.ceil(#users / 5)
  expect.eq(count(rb, "Move-PcmigUserBatch -Report"), batches)
  expect.ok(rb:find(string.format("# Move %d user(s) to %s in %d batch(es) of up to 5.", #users, estate.target.registrar, batches), 1, true), rb)
  for _, u in ipairs(users) do
    expect.eq(count(rb, "'" .. u.sip .. "'"), 1, u.sip)
  end
  expect.ok(fixture.plan()[1].detail:find("Move-CsUser -MoveConferenceData in the runbook", 1, true))
  -- Already moved: nothing more in the runbook.
  expect.eq(dir:move(users, estate.target.registrar).moved, 0)
  expect.eq(count(fixture.runbook(), "Move-PcmigUserBatch -Report"), batches)
  -- Unknown users are refused before anything is written.
  expect.error(function() dir:move({ "sip:nobody@contoso.com" }, estate.target.registrar) end, "validation", "sip:nobody@contoso.com")
end

function TestMoveBatchFromTheEstate()
  local dir = user.load(estate.directory)
  local users = dir:users()
  dir:move(users, estate.target.registrar)
  local rb = fixture.runbook()
  expect.eq(count(rb, "Move-PcmigUserBatch -Report"), math.ceil(#users / estate.move_batch))
end

function TestCreatorsGoToTheRunbookToo()
  local c = category.get("source", "Sales")
  local allowed
  for _, uri in ipairs(c.allowed_members) do
    local creator_already = false
    for _, x in ipairs(c.creators) do creator_already = creator_already or x == uri end
    if uri:match("^sip:") and not creator_already then allowed = uri end
  end
  local r = creator.add("source", "Sales", { allowed })
  expect.eq(r.added, 1)
  expect.eq(#creator.list("source", "Sales"), #c.creators + 1, "written to the database")
  local rb = fixture.runbook()
  expect.ok(rb:find("Add-PcmigCategoryCreators -Identity 'pchat15.contoso.com\\Sales' -Creators @(", 1, true), rb)
  expect.ok(rb:find("    '" .. allowed .. "'", 1, true), rb)
  -- Nothing added, nothing in the runbook.
  creator.add("source", "Sales", { allowed })
  expect.eq(count(fixture.runbook(), "Add-PcmigCategoryCreators -Identity"), 1)
end

function TestRunbookSections()
  local dir = user.load(estate.directory)
  local users = dir:users()
  step("switch", function()
    topology.load(estate.topology):set_default_pool(estate.site, estate.target.pool)
  end)
  step("move", function()
    dir:move({ users[1] }, estate.target.registrar)
    dir:move({ users[2] }, estate.target.registrar)
  end)
  local rb = fixture.runbook()
  expect.eq(count(rb, "\r\nWrite-Host 'Step "), 2, "one section per step that wrote")
  expect.ok(rb:find("# Step 1: switch\r\n", 1, true), rb)
  expect.ok(rb:find("# Step 2: move\r\n", 1, true), rb)
  expect.ok(rb:find("Step 1: switch.*Set%-CsSite.*Step 2: move.*Move%-PcmigUserBatch.*Move%-PcmigUserBatch"), rb)
end
