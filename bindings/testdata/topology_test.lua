-- topology: reading a topology document and switching a site's default
-- Persistent Chat pool on a lab estate (the file is rewritten).
local expect = require("expect")
local fixture = require("fixture")
local topology = require("topology")

local function lines(text)
  local out = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do table.insert(out, line) end
  return out
end

local function by_fqdn(list)
  local out = {}
  for _, p in ipairs(list) do out[p.fqdn] = p end
  return out
end

function TestSites()
  local doc = topology.load("two-sites.xml")
  local sites = doc:sites()
  expect.eq(sites, {
    { id = "1", name = "Dublin", default_pool = "chat-old.fabrikam.com" },
    { id = "2", name = "Seattle" },
  })
  expect.eq(type(sites[1].id), "string", "IDs are strings")
  expect.eq(doc:default_pool("Dublin"), "chat-old.fabrikam.com")
  expect.eq(doc:default_pool("Seattle"), nil, "none recorded")
  expect.eq(doc:default_pool("Paris"), nil, "no such site")
end

function TestPools()
  local doc = topology.load("two-sites.xml")
  local pools = by_fqdn(doc:pools())
  expect.eq(#doc:pools(), 8)
  expect.eq(pools["pool-dub.fabrikam.com"], {
    fqdn = "pool-dub.fabrikam.com", site = "Dublin", site_id = "1", roles = { "Registrar" },
    machines = { "fe1-dub.fabrikam.com", "fe2-dub.fabrikam.com" }, version = "7", product = "Skype for Business Server 2015",
  })
  expect.eq(pools["chat-sea.fabrikam.com"].site, "Seattle")
  expect.eq(pools["chat-sea.fabrikam.com"].roles, { "PersistentChatServer" })
end

function TestPersistentChatPools()
  local doc = topology.load("two-sites.xml")
  local list = doc:persistent_chat_pools()
  expect.eq(#list, 3)
  local pc = by_fqdn(list)
  local old = pc["chat-old.fabrikam.com"]
  expect.eq(old.site, "Dublin")
  expect.eq(old.site_id, "1")
  expect.eq(old.site_default, true)
  expect.eq(old.next_hop, "pool-dub.fabrikam.com")
  expect.eq(old.store, { host = "sqlchat.fabrikam.com", instance = "", db_instance = "sqlchat.fabrikam.com", database = "mgc" })
  expect.eq(old.compliance_store, nil)
  local new = pc["chat-new.fabrikam.com"]
  expect.eq(new.site_default, false)
  expect.eq(new.display_name, "Chat (new) & compliance")
  expect.eq(new.store.db_instance, "sqlchat.fabrikam.com\\chatnew")
  expect.eq(new.compliance_store.database, "mgccomp")
  expect.eq(new.machines, { "chat1-new.fabrikam.com", "chat2-new.fabrikam.com" })
  expect.eq(pc["chat-sea.fabrikam.com"].product, "Skype for Business Server 2019")
end

function TestSetDefaultPoolOnALabEstate()
  local estate = require("estate")
  local before = fixture.read("topology.xml")
  local doc = topology.load(estate.topology)
  expect.eq(doc:default_pool("Redmond"), estate.source.pool)
  expect.eq(doc:set_default_pool("Redmond", estate.target.pool), true)
  expect.eq(doc:default_pool("Redmond"), estate.target.pool)
  -- The file is rewritten; only the line carrying the default changes.
  local a, b = lines(before), lines(fixture.read("topology.xml"))
  expect.eq(#b, #a)
  local changed = {}
  for i = 1, #a do
    if a[i] ~= b[i] then table.insert(changed, b[i]) end
  end
  expect.eq(#changed, 1)
  expect.ok(changed[1]:find('DefaultPersistentChatPool="' .. estate.target.pool .. '"', 1, true), changed[1])
  -- Loading it again in the run gives the same document.
  expect.eq(topology.load("topology.xml"):default_pool("Redmond"), estate.target.pool)
  -- A second switch changes nothing and records nothing.
  local after = fixture.read("topology.xml")
  expect.eq(doc:set_default_pool("redmond", "PCHAT19.contoso.com"), false)
  expect.eq(fixture.read("topology.xml"), after)
  local plan = fixture.plan()
  expect.eq(#plan, 1)
  expect.eq(plan[1].module .. "." .. plan[1].op, "topology.set default pool")
  expect.eq(plan[1].target, estate.topology)
  expect.ok(plan[1].detail:find("pchat15.contoso.com -> pchat19.contoso.com", 1, true), plan[1].detail)
  expect.eq(fixture.runbook(), nil, "a lab estate needs no runbook")
end

function TestSetDefaultPoolRules()
  local doc = topology.load("two-sites.xml")
  local before = fixture.read("two-sites.xml")
  local cases = {
    { "Dublin", "nowhere.fabrikam.com", "unknown pool" },
    { "Dublin", "pool-dub.fabrikam.com", "not a Persistent Chat pool" },
    { "Dublin", "sqlchat.fabrikam.com", "not a Persistent Chat pool" },
    { "Dublin", "chat-sea.fabrikam.com", "another site" },
    { "Paris", "chat-new.fabrikam.com", "Paris" },
  }
  for _, c in ipairs(cases) do
    local err = expect.error(function() doc:set_default_pool(c[1], c[2]) end, "validation", c[3])
    expect.eq(err.op, "topology.set_default_pool")
  end
  expect.eq(fixture.read("two-sites.xml"), before, "nothing was written")
  expect.eq(fixture.plan(), {})
  expect.eq(doc:default_pool("Dublin"), "chat-old.fabrikam.com")
  -- Another site's pool, when allowed.
  expect.eq(doc:set_default_pool("Dublin", "chat-sea.fabrikam.com", { allow_other_site = true }), true)
  expect.eq(doc:default_pool("Dublin"), "chat-sea.fabrikam.com")
  -- A site without a default gets one.
  expect.eq(doc:set_default_pool("Seattle", "chat-sea.fabrikam.com"), true)
  expect.eq(topology.load("two-sites.xml"):default_pool("Seattle"), "chat-sea.fabrikam.com")
  expect.ne(fixture.read("two-sites.xml"), before)
  expect.eq(#fixture.plan(), 2)
end

function TestLoadErrors()
  local err = expect.error(function() topology.load("missing.xml") end, "io", "missing.xml")
  expect.eq(err.op, "topology.load")
  fixture.write("broken.xml", "<Topology><Sites>")
  expect.error(function() topology.load("broken.xml") end, "validation", "broken.xml")
  fixture.write("other.xml", "<?xml version=\"1.0\"?><Other/>")
  expect.error(function() topology.load("other.xml") end, "validation")
  local doc = topology.load()
  expect.eq(doc:default_pool("Redmond"), "pchat15.contoso.com", "the estate's topology by default")
  expect.error(function() doc.sites() end, nil, "bad argument #1")
  expect.error(function() doc.sites({}) end, nil, "bad argument #1")
  expect.error(function() doc:set_default_pool("Redmond") end, nil, "bad argument #3")
end
