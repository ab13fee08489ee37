-- migrate.lua: move a Persistent Chat pool to a new pool (Skype for Business
-- Server 2015 to 2019), following Microsoft's documented procedure:
--
--   1. export the source pool's Persistent Chat data
--   2. import it into the target pool
--   3. switch the site's default Persistent Chat pool to the target
--   4. check that every source category exists in the target
--   5. move the users homed on the source pool to the target pool
--   6. re-add the category creators (the cmdlet import may drop them)
--   7. prove that rooms can be created in the target pool
--
-- with two steps the procedure forgets: after the import, the files users
-- uploaded to rooms are copied to the new pool's file store; after the
-- switch, the pool's own settings (Persistent Chat and compliance
-- configuration, endpoints) are carried to the new pool. It ends by
-- reconciling the target with the source, object by object (verify): the
-- run succeeds only when everything that was meant to arrive did.
--
-- One source's categories can go to several target pools: one estate per
-- target, all reading one routes file (routes = "routes.lua"), or each
-- with export.scope naming its categories (docs/estate.md, "Categories
-- routed to several pools"). With routes, a source category routed to no
-- pool, or one the source lacks, stops the run before step 1. Each
-- estate's export names the categories it leaves out, only the files of
-- its rooms are copied, an estate without a site switches no site's
-- default pool, and one whose target has no registrar moves no user.
--
-- Everything it needs comes from the estate file (pcmig run --estate FILE).
-- Copy it with "pcmig scripts show migrate > my-migration.lua" and change
-- what your environment needs; "pcmig validate my-migration.lua" checks it.
-- Run it first with --dry-run: every step then reports what it would do
-- against the real databases, and nothing changes.

local estate   = require("estate")
local export   = require("export")
local import   = require("import")
local topology = require("topology")
local category = require("category")
local user     = require("user")
local creator  = require("creator")
local room     = require("room")
local log      = require("log")
local pool     = require("pool")
local verify   = require("verify")
local doctor   = require("doctor")
local pcmig    = require("pcmig")
local imported = require("common.imported") -- shared with multipool.lua: what the import did with each category

local source, target = estate.source, estate.target
steps(10)

-- scope is export.scope: the categories this estate migrates ({}: all).
-- An estate per target pool, each with the scope of the categories routed
-- to it, sends one source's categories to several pools (docs/estate.md,
-- "Categories routed to several pools"): then only the files of the
-- scope's rooms are copied.
local scope = (estate.export or {}).scope or {}
if type(scope) == "string" then scope = { scope } end

-- fqdn_key is a pool's FQDN as routes keys it: lower case, no trailing dot.
local function fqdn_key(p)
  return string.lower((string.gsub(p, "%.$", "")))
end

-- successor is, with routes, the target pool that takes the source pool's
-- place for what is not routed by category: its users and its endpoints
-- (routes' successor; only that pool's estate gives target.registrar, as
-- the estate's loading enforces). is_successor: this estate's target is
-- it, or the estate has no routes.
local successor = estate.routes and estate.successor or nil
local is_successor = not successor or successor == fqdn_key(target.pool)

-- in_scope says whether the source category c is one of export.scope's,
-- matched as export.run matches the names: by the source database's name
-- comparison (category.get), not Lua's string.lower, which lowers ASCII
-- only ("MÄNNISKOR & KULTUR" is the category Människor & Kultur) and
-- finds Sales and SALES one name where a case-sensitive database holds two.
local scoped_guids
local function in_scope(c)
  if #scope == 0 then return true end
  if not scoped_guids then
    scoped_guids = {}
    for _, name in ipairs(scope) do
      local sc = category.get("source", name)
      if sc then scoped_guids[sc.guid] = true end
    end
  end
  return scoped_guids[c.guid] == true
end

-- count writes n with its noun, in the singular for one: count(1, "room",
-- "rooms") is "1 room".
local function count(n, one, many)
  return string.format("%d %s", n, n == 1 and one or many)
end

-- did picks the words for what a step did, or in a dry run would do.
local function did(past, future)
  if estate.dry_run() then return future end
  return past
end

-- carried_words says how many creators creator.carry_over carried over
-- from the source (or in a dry run would), and how many of the source's
-- it found already there: "2 creators carried over from the source (3 were
-- there already)".
local function carried_words(carried, already)
  local s = string.format("%s %s from the source", count(carried, "creator", "creators"),
    did("carried over", "would be carried over"))
  if already > 0 then
    s = s .. string.format(" (%s there already)", count(already, "was", "were"))
  end
  return s
end

-- settings_done words a pool setting's change (pool.carry_settings' action:
-- create, update, move, unchanged or kept) as done, or in a dry run as what
-- would be done.
local settings_words = {
  create = {"created", "would create"}, update = {"updated", "would update"},
  move = {"moved", "would move"}, kept = {"kept", "would keep"},
}
local function settings_done(action)
  local w = settings_words[action]
  if not w then return action end
  return did(w[1], w[2])
end

-- migrated_categories lists the target's categories that targets (source
-- name -> target name) names, and how many of the target's own it leaves out.
local function migrated_categories(targets)
  local mine = {}
  for _, name in pairs(targets) do mine[string.lower(name)] = true end
  local cats, own = {}, 0
  for _, c in ipairs(category.list("target")) do
    if mine[string.lower(c.name)] then table.insert(cats, c) else own = own + 1 end
  end
  return cats, own
end

-- import_targets is migrated's map, once it has been read.
local import_targets

-- migrated says which target categories this migration brought: the
-- import's record of what it did with each source category (the shared
-- common/imported.lua, which also says what happens when the record is gone).
-- Without a record under on_conflict "merge" (or "fail") the source's
-- categories are matched by name.
-- Returns the map (source name -> target name) and the migrated target
-- categories, in the target's order, and the count of the target's own.
-- The map is read once a run (the import is done by the first step that
-- asks); the categories are listed on every call, as steps change them
-- (creators).
local function migrated()
  local targets = import_targets
  if targets then return targets, migrated_categories(targets) end
  targets = imported.category_targets("target")
  if not targets then
    targets = {}
    for _, c in ipairs(category.list("source")) do
      if in_scope(c) then targets[c.name] = c.name end
    end
  end
  import_targets = targets
  return targets, migrated_categories(targets)
end

-- Before anything is written: both databases pass pcmig's read-only
-- pre-flight (doctor: schema, permissions, counters, heartbeats, space), in
-- a lab estate both pools name the file stores of step 3, the topology
-- must be able to take the switch of step 4 (when the estate names a
-- site), and the directory of step 7 must be readable. (This runs on every
-- run, resumed ones too.)
do
  doctor.require("source")
  doctor.require("target", { size_from = "source" })
  if estate.kind == "lab" then
    for _, p in ipairs({ { "source", source }, { "target", target } }) do
      if not p[2].file_store then
        pcmig.raise("validation", "the %s pool %s has no file_store in the estate: step 3 copies the uploaded files from the source's file store into the target's", p[1], p[2].pool)
      end
    end
  end
  if estate.site then
    local ok, why = topology.load(estate.topology):can_set_default_pool(estate.site, target.pool)
    if not ok then
      pcmig.raise("validation", "the topology cannot make %s the default pool of site %s: %s", target.pool, estate.site, why)
    end
  end
  user.load(estate.directory)
  -- With routes (docs/estate.md), every source category is routed to
  -- exactly one target pool, and routes names none the source lacks,
  -- before anything is written: a category routed nowhere would be
  -- migrated by no estate. (A category named twice is refused when the
  -- estate is loaded; export.scope is this target's list.)
  if estate.routes then
    -- Names are found as export.run finds its scope's (category.get: the
    -- source database's comparison, not string.lower, which lowers ASCII
    -- only and finds Sales and SALES one name where a case-sensitive
    -- source holds two), and the categories compared by GUID.
    local named, unknown, twice, unrouted, pools = {}, {}, {}, {}, {}
    local cats = category.list("source")
    for p in pairs(estate.routes) do table.insert(pools, p) end
    table.sort(pools)
    for _, p in ipairs(pools) do
      for _, name in ipairs(estate.routes[p]) do
        local c = category.get("source", name)
        if not c then
          table.insert(unknown, string.format("%q (routed to %s)", name, p))
        elseif named[c.guid] then
          -- Two names the estate's check holds apart ("Sales" and "Sales "),
          -- one category to the source.
          table.insert(twice, string.format("%q (routed to %s and to %s)", c.name, named[c.guid], p))
        else
          named[c.guid] = p
        end
      end
    end
    for _, c in ipairs(cats) do
      if not named[c.guid] then table.insert(unrouted, string.format("%q", c.name)) end
    end
    if #twice > 0 then
      pcmig.raise("validation", "routes names %s of %s twice, as %s compares names: %s; a category belongs to exactly one pool",
        count(#twice, "category", "categories"), source.pool, source.pool, table.concat(twice, ", "))
    end
    if #unknown > 0 then
      pcmig.raise("validation", "routes names %s that %s does not have: %s", count(#unknown, "category", "categories"), source.pool, table.concat(unknown, ", "))
    end
    if #unrouted > 0 then
      pcmig.raise("validation", "%s of %s %s routed to no pool: %s; routes must give every category of the source to exactly one target pool",
        count(#unrouted, "category", "categories"), source.pool, #unrouted == 1 and "is" or "are", table.concat(unrouted, ", "))
    end
    local others = {}
    for _, p in ipairs(pools) do
      if p ~= fqdn_key(target.pool) then table.insert(others, p) end
    end
    print(string.format("routes: %d of the %s of %s go to %s (this estate), the other %d to %s; the successor, which takes the source's users and endpoints, is %s%s",
      #scope, count(#cats, "category", "categories"), source.pool, target.pool, #cats - #scope, table.concat(others, ", "),
      successor, is_successor and " (this estate)" or ""))
    -- A site has one default Persistent Chat pool: a site that defaults to
    -- another pool of the routing already (its estate ran) is not switched
    -- again to this one. The estate that names it by mistake stops here.
    if estate.site then
      local now = topology.load(estate.topology):default_pool(estate.site)
      if now and fqdn_key(now) ~= fqdn_key(target.pool) and estate.routes[fqdn_key(now)] then
        pcmig.raise("validation", "site %s already defaults to %s, another target pool of this routing: a site has one default Persistent Chat pool; leave site out of this estate, or give it its own target's site",
          estate.site, now)
      end
    end
  end
end

step("export the source pool", function()
  local opts = estate.export or {}
  local r = export.run("source", {
    file = estate.archive,
    level = opts.level or "All",
    scope = opts.scope,
    since = opts.since,
    disable_exported = opts.disable_exported,
    replace_unpaired_surrogates = opts.replace_unpaired_surrogates,
    overwrite = true,            -- a finished export is never redone: the step journal skips it
  })
  print(string.format("%s %s, %s, %s, %s and %s from %s", did("exported", "would export"),
    count(r.counts.principals, "principal", "principals"), count(r.counts.categories, "category", "categories"),
    count(r.counts.addins, "add-in", "add-ins"), count(r.counts.rooms, "room", "rooms"),
    count(r.counts.messages, "message", "messages"), source.pool))
  if r.disabled_rooms > 0 then
    print(string.format("%s %s in %s", did("disabled", "would disable"), count(r.disabled_rooms, "exported room", "exported rooms"), source.pool))
  end
  -- With a scope, the categories left out are named: an estate per target
  -- pool must take each category in exactly one estate's scope.
  if #scope > 0 then
    local out = {}
    for _, c in ipairs(category.list("source")) do
      if not in_scope(c) then table.insert(out, string.format("%q", c.name)) end
    end
    if #out > 0 then
      print(string.format("%s of %s not in export.scope, not migrated by this estate: %s", count(#out, "category", "categories"),
        source.pool, table.concat(out, ", ")))
    end
  end
end)

step("import into the target pool", function()
  local r = import.run("target", { file = estate.archive, on_conflict = estate.on_conflict })
  for _, c in ipairs(r.conflicts) do
    print(string.format("duplicate %s %q: %s", c.kind, c.name, c.resolution))
  end
  local new = 0
  for _, c in ipairs(r.categories) do
    if c.action == "create" or c.action == "rename" then new = new + 1 end
  end
  local messages = estate.dry_run() and r.messages.to_import or r.messages.imported
  print(string.format("%s %s, %s, %s and %s (%s already there)", did("imported", "would import"),
    count(new, "new category", "new categories"), count(#r.rooms, "room", "rooms"), count(r.principals.create, "principal", "principals"),
    count(messages, "message", "messages"), count(r.messages.already_imported, "was", "were")))
end)

step("copy the uploaded files", function()
  -- With export.scope, only the files the messages of the scope's rooms
  -- link to are copied: by pcmig in a lab, by the runbook's robocopy (a
  -- list of them, read now) in a real estate. Without, the whole store.
  local scoped = #scope > 0
  local r = pool.copy_files("source", "target", { scope = scoped and scope or nil })
  if r.runbook and scoped then
    print(string.format("real estate: the runbook copies the %s linked from the rooms of the %s in export.scope with robocopy, and no other file of %s's store, writing over no file of the new share (one of other content under an old file's name stops it before it copies), and compares sizes",
      count(r.source.files, "uploaded file", "uploaded files"), count(#scope, "category", "categories"), source.pool))
  elseif r.runbook then
    print("real estate: the runbook copies the file store with robocopy, writing over no file of the new share (one of other content under an old file's name stops it before it copies), and compares counts and sizes")
  else
    local of = ""
    if scoped then
      of = string.format(" linked from the rooms of the %s in export.scope", count(#scope, "category", "categories"))
    end
    print(string.format("%s%s (%s): %d %s, %d already there", count(r.source.files, "uploaded file", "uploaded files"), of, count(r.source.bytes, "byte", "bytes"),
      estate.dry_run() and #r.missing or r.copied, did("copied", "to copy"), r.kept))
    if not estate.dry_run() and #r.missing > 0 then
      pcmig.raise("io", "%s not arrive in the target's file store, the first: %s", count(#r.missing, "file did", "files did"), r.missing[1])
    end
  end
end)

step("switch the site's default Persistent Chat pool", function()
  local topo = topology.load(estate.topology)
  -- An estate without a site switches none: a site has one default pool,
  -- and of several target pools in one site only one estate names it.
  local before = estate.site and topo:default_pool(estate.site)
  local changed = estate.site and topo:set_default_pool(estate.site, target.pool)
  if not estate.site then
    print(string.format("the estate names no site: no site's default Persistent Chat pool is switched to %s", target.pool))
  elseif changed and estate.is_lab() then
    print(string.format("site %s: default Persistent Chat pool %s %s -> %s", estate.site,
      did("switched", "would switch"), before or "(none)", target.pool))
  elseif changed then
    -- A real estate's topology changes when the runbook runs, not now.
    print(string.format("site %s: default Persistent Chat pool to switch %s -> %s by the runbook's Set-CsSite (whether it also needs a topology publish is not documented: see its comments)",
      estate.site, before or "(none)", target.pool))
  else
    print(string.format("site %s already uses %s", estate.site, target.pool))
  end
  -- Topology Builder can make one pool the default of every site: another
  -- site still on the source pool loses Persistent Chat when it is removed.
  for _, s in ipairs(topo:sites()) do
    if s.default_pool and string.lower(s.default_pool) == string.lower(source.pool) then
      if successor and not is_successor then
        -- Another estate of the routing switches it: the successor's
        -- run warns if none has when it runs.
        print(string.format("site %s still defaults to %s, the pool being migrated: the estate that names it switches it (or %s's, the successor in routes, warns)",
          s.name, source.pool, successor))
      else
        log.warn("site %s still defaults to %s, the pool being migrated: switch it too, or its users lose Persistent Chat when %s is removed",
          s.name, source.pool, source.pool)
      end
    end
  end
end)

step("carry the pool's own settings over", function()
  -- With routes, the source's endpoints (a legacy SIP address belongs to
  -- one pool) go to the successor, whichever estate runs first.
  local r = pool.carry_settings("source", "target", { endpoints_to = successor })
  if r.runbook and not is_successor then
    print(string.format("real estate: the runbook reads the old pool's configuration and compliance configuration and recreates them; its endpoints are left for the runbook of %s, the successor in routes", successor))
  elseif r.runbook then
    print("real estate: the runbook reads the old pool's configuration, compliance configuration and endpoints and recreates them")
  end
  for _, c in ipairs(r.changes) do
    print(string.format("%s %s: %s (%s)", c.kind, c.object, settings_done(c.action), c.detail))
  end
end)

step("verify the categories in the target", function()
  local targets = migrated()
  local cmp = category.compare("source", "target", { targets = targets })
  print(string.format("%d of %s exist in the target", #cmp.present, count(#cmp.present + #cmp.missing, "source category", "source categories")))
  for _, name in ipairs(cmp.missing) do
    local as = targets[name]
    if as and as ~= name then
      log.error("category %q, imported as %q, is missing in %s", name, as, target.pool)
    else
      log.error("category %q is missing in %s", name, target.pool)
    end
  end
  for _, d in ipairs(cmp.different) do
    for _, what in ipairs(d.differences) do
      log.warn("category %q differs: %s", d.name, what)
    end
  end
  if #cmp.missing > 0 then
    pcmig.raise("validation", "%s not arrive in the target", count(#cmp.missing, "category did", "categories did"))
  end
end)

step("move the users to the target pool", function()
  -- user.load warns of the directory's problem rows, once per run.
  local dir = user.load(estate.directory)
  -- A target without a registrar takes no users: of several estates that
  -- route one source's categories, one moves the source's users.
  -- An estate that migrates the whole source (no export.scope) is the only
  -- one that could move its users: without a registrar it warns.
  if not target.registrar then
    local left = #dir:select({ pool = source.registrar })
    local msg = string.format("the estate gives the target no registrar: no user is moved (%s homed on %s)",
      count(left, "user is", "users are"), source.registrar)
    if #scope == 0 and left > 0 then
      log.warn("%s; this estate migrates every category of %s, so no other estate moves them: give target.registrar, or move them with Move-CsUser", msg, source.pool)
    elseif successor and is_successor and left > 0 then
      log.warn("%s; routes make %s the successor, which moves the source's users, and no other estate may: give target.registrar, or move them with Move-CsUser", msg, target.pool)
    elseif successor then
      print(string.format("%s; the estate of %s, the successor in routes, moves them", msg, successor))
    else
      print(msg)
    end
    return
  end
  local users = dir:select({ pool = source.registrar })
  local r = dir:move(users, target.registrar)
  if estate.is_lab() then
    print(string.format("%s homed on %s %s to %s (%s there already)",
      count(r.moved, "user", "users"), source.registrar, did("moved", "would move"), target.registrar, count(r.already, "was", "were")))
  else
    -- A real estate's users move when the runbook runs, not now.
    print(string.format("%s homed on %s to move to %s by the runbook's Move-CsUser (%s there already)",
      count(r.moved, "user", "users"), source.registrar, target.registrar, count(r.already, "was", "were")))
  end
  -- A row of the source registrar that is not a valid user is a user no
  -- move reaches: say how many, or the count above reads as all of them.
  local _, behind = dir:left_behind(source.registrar)
  if behind then log.warn("%s", behind) end
end)

step("carry the category creators over", function()
  local targets, cats = migrated()
  local r = creator.carry_over("source", "target", { targets = targets })
  -- The estate's creators are added to the migrated categories, by their
  -- name in the source or in the target ("*": all of them).
  local carried, already = r.added, 0
  for _, c in ipairs(r.categories) do already = already + #c.already end
  local extra, sourceName, fromEstate = estate.creators or {}, {}, 0
  for name, tname in pairs(targets) do sourceName[string.lower(tname)] = name end
  for _, c in ipairs(cats) do
    local wanted = {}
    for _, who in ipairs(extra["*"] or {}) do table.insert(wanted, who) end
    for _, who in ipairs(extra[c.name] or {}) do table.insert(wanted, who) end
    local from = sourceName[string.lower(c.name)]
    if from and from ~= c.name then
      for _, who in ipairs(extra[from] or {}) do table.insert(wanted, who) end
    end
    if #wanted > 0 then
      local added = creator.add("target", c.name, wanted)
      fromEstate = fromEstate + added.added
      r.not_allowed = r.not_allowed + added.not_allowed
    end
  end
  -- The creators carried over from the source and the estate's own are
  -- counted apart: after an import that carried every source creator,
  -- "6 creators added" read as the opposite of the INFO line before it.
  print(string.format("%s, %d %s from the estate's creators list; %d not allowed in their category (reported, not added)",
    carried_words(carried, already), fromEstate, did("added", "would be added"), r.not_allowed))
end)

step("prove that rooms can be created", function()
  local _, cats, own = migrated()
  if own > 0 then
    print(string.format("%s of the target's own %s left alone (not migrated, not checked)", count(own, "category", "categories"), own == 1 and "was" or "were"))
  end
  local ready = 0
  for _, c in ipairs(cats) do
    local able
    for _, who in ipairs(c.creators) do
      if room.can_create("target", c.name, who) then able = who break end
    end
    if able then
      ready = ready + 1
    else
      log.error("category %q has no creator who may create rooms", c.name)
    end
  end
  print(string.format("%d of %s a creator who can create rooms", ready, count(#cats, "category has", "categories have")))
  if ready < #cats then
    pcmig.raise("validation", "%s no creator who may create rooms", count(#cats - ready, "category has", "categories have"))
  end
  if estate.is_lab() and #cats > 0 then
    -- A probe room proves the rules end to end; it is removed at once.
    -- room.probe first removes its own probe room that a run stopped
    -- between creating and removing it left behind (never a room of that
    -- name that pcmig did not create: that raises conflict).
    local c = cats[1]
    local who
    for _, w in ipairs(c.creators) do
      if room.can_create("target", c.name, w) then who = w break end
    end
    local probe = room.probe("target", c.name, who)
    if probe.leftover then
      print(string.format("%s pcmig's own probe room left by an interrupted run", did("removed", "would remove")))
    end
    print(string.format("probe room %s in %q by %s", did("created and removed", "would be created and removed"), c.name, who))
  end
end)

step("reconcile the target with the source", function()
  local r = verify.run("source", "target")
  -- console_notes: of notes that repeat per category, room or role, the
  -- first few of each kind and how many there are (the report keeps
  -- every one of r.notes).
  for _, note in ipairs(r.console_notes) do
    log.info("%s", note)
  end
  for _, d in ipairs(r.differences) do
    log.error("%s", d.text)
  end
  local t = r.totals
  local what = estate.dry_run() and "the simulated structure (messages are compared in the real run)"
    or string.format("%d of %s", t.target.messages, count(t.source.messages, "message", "messages"))
  if t.rooms_history_differs > 0 then
    what = what .. string.format(" (%s a different history)", count(t.rooms_history_differs, "room has", "rooms have"))
  end
  print(string.format("%s: %d of %s, %d of %s, %s", r.verdict, t.target.categories, count(t.source.categories, "category", "categories"),
    t.target.rooms, count(t.source.rooms, "room", "rooms"), what))
  if not r.equal then
    pcmig.raise("validation", "the target differs from the source in %s (listed above and in the report)", count(#r.differences, "way", "ways"))
  end
end)
