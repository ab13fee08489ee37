-- multipool.lua: several source Persistent Chat pools into one target pool.
--
-- The estate lists the sources instead of one source:
--
--   sources = {
--     { name = "emea", pool = "pchat-emea.contoso.com", registrar = "fe-emea.contoso.com",
--       db = "sqlite:emea.db", archive = "archive/emea.zip" },
--     { name = "amer", pool = "pchat-amer.contoso.com", registrar = "fe-amer.contoso.com",
--       db = "sqlite:amer.db", archive = "archive/amer.zip" },
--   },
--   category_policy = "merge",   -- a category in more than one source: merge | first | rename
--
-- Each source is exported to its own archive and imported in order. A
-- category that exists in more than one source follows category_policy:
--   merge   the first source creates it; later ones add their members,
--           creators and rooms to it
--   first   the first source's category wins; later sources' copies (and
--           their rooms) are skipped and reported
--   rename  later sources' copies are imported under a new name
--
-- The creators of each source's categories are carried over, and the
-- estate's creators list adds its own to the categories each import brought
-- (by their name in the source or in the target; ["*"]: all of them).
--
-- The uploaded files of every source are copied into the target's file
-- store (their paths hold the room's and the file's GUIDs, so pools do not
-- collide). The first source's own settings (pool.carry_settings) go to the
-- target; later sources' endpoints move too, their configurations are kept
-- from the first where the target has them. The run ends by reconciling
-- the target with every source (verify).
--
-- Run again without --resume (after a finished or a failed run), it
-- exports every source again and imports each new archive: in a room
-- merged by name the import finds the messages an earlier run put there
-- and adds only what is new, or stops before writing when it cannot tell;
-- the reconciliation checks that every merged room holds each source
-- message as many times as the sources do (docs/lua-api.md, import.run).

local estate   = require("estate")
local export   = require("export")
local import   = require("import")
local topology = require("topology")
local category = require("category")
local user     = require("user")
local creator  = require("creator")
local log      = require("log")
local verify   = require("verify")
local doctor   = require("doctor")
local pcmig    = require("pcmig")
local pool     = require("pool")
local imported = require("common.imported") -- shared with migrate.lua: what the import did with each category

local sources = estate.sources or { estate.source }
local policy = estate.category_policy or "merge"
local on_conflict = ({ merge = "merge", first = "skip", rename = "rename" })[policy]
if not on_conflict then
  pcmig.raise("argument", "category_policy %q: want merge, first or rename", policy)
end

-- count writes n with its noun, in the singular for one: count(1, "room",
-- "rooms") is "1 room".
local function count(n, one, many)
  return string.format("%d %s", n, n == 1 and one or many)
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
  if estate.dry_run() then return w[2] end
  return w[1]
end

local function label(src)
  return src.name or src.pool
end

-- archive_of is where source i's export goes.
local function archive_of(src, i)
  return src.archive or string.format("%s.%d.zip", estate.archive, i)
end

-- conflict_of is the on_conflict source i is imported with.
local function conflict_of(i)
  return i == 1 and estate.on_conflict or on_conflict
end

-- owners maps each category name (lower case) to the first source that
-- holds it. It is recomputed where needed, so resumed runs have it too.
local function owners()
  local owner = {}
  for _, src in ipairs(sources) do
    for _, c in ipairs(category.list(src)) do
      local key = string.lower(c.name)
      if not owner[key] then owner[key] = label(src) end
    end
  end
  return owner
end

-- Before anything is written: every database passes pcmig's read-only
-- pre-flight (doctor), the target sized by what all the sources hold, and
-- in a lab estate every pool has the file store its uploaded files are
-- copied from or into (a real estate's runbook finds the shares).
do
  local names = {}
  for _, src in ipairs(sources) do
    doctor.require(label(src)) -- by name: the estate's pool, file store included
    table.insert(names, label(src))
  end
  doctor.require("target", { size_from = names })
  if estate.kind == "lab" then
    for _, p in ipairs(sources) do
      if not p.file_store then
        pcmig.raise("validation", "source %s has no file_store in the estate: its uploaded files are copied into the target's file store, so set file_store for every pool", label(p))
      end
    end
    if not estate.target.file_store then
      pcmig.raise("validation", "the target has no file_store in the estate: the sources' uploaded files are copied into it")
    end
  end
end

-- Categories that more than one source holds, found before anything moves.
step("find categories shared by several sources", function()
  local owner, shared = owners(), 0
  for _, src in ipairs(sources) do
    for _, c in ipairs(category.list(src)) do
      local first = owner[string.lower(c.name)]
      if first ~= label(src) then
        shared = shared + 1
        print(string.format("category %q is in %s and %s: policy %s", c.name, first, label(src), policy))
      end
    end
  end
  print(string.format("%s in more than one source", count(shared, "category exists", "categories exist")))
end)

for i, src in ipairs(sources) do
  local archive = archive_of(src, i)
  step("export " .. label(src), function()
    local r = export.run(src, { file = archive, level = "All", overwrite = true })
    print(string.format("%s: %s, %s, %s", label(src), count(r.counts.categories, "category", "categories"), count(r.counts.rooms, "room", "rooms"),
      count(r.counts.messages, "message", "messages")))
  end)
  step("import " .. label(src), function()
    local r = import.run("target", { file = archive, on_conflict = conflict_of(i) })
    for _, c in ipairs(r.conflicts) do
      print(string.format("%s %q: %s", c.kind, c.name, c.resolution))
    end
    print(string.format("%s: %s planned or imported", label(src), count(#r.rooms, "room", "rooms")))
  end)
end

for _, src in ipairs(sources) do
  step("copy the uploaded files of " .. label(src), function()
    local r = pool.copy_files(src.pool, "target")
    if r.runbook then
      print(string.format("%s: the runbook copies the file store with robocopy, writing over no file of the new share (one of other content under an old file's name stops it before it copies), and compares counts and sizes", label(src)))
      return
    end
    print(string.format("%s: %s (%s): %d %s, %d already there", label(src), count(r.source.files, "uploaded file", "uploaded files"),
      count(r.source.bytes, "byte", "bytes"),
      estate.dry_run() and #r.missing or r.copied, estate.dry_run() and "to copy" or "copied", r.kept))
    if not estate.dry_run() and #r.missing > 0 then
      pcmig.raise("io", "%s of %s did not arrive in the target's file store, the first: %s", count(#r.missing, "file", "files"), label(src), r.missing[1])
    end
  end)
end

step("switch the site's default Persistent Chat pool", function()
  local topo = topology.load(estate.topology)
  if not topo:set_default_pool(estate.site, estate.target.pool) then
    print(string.format("site %s already defaults to %s", estate.site, estate.target.pool))
  elseif not estate.is_lab() then
    -- A real estate's topology changes when the runbook runs, not now.
    print(string.format("site %s: default Persistent Chat pool to switch to %s by the runbook's Set-CsSite", estate.site, estate.target.pool))
  elseif estate.dry_run() then
    print(string.format("site %s would default to %s", estate.site, estate.target.pool))
  else
    print(string.format("site %s now defaults to %s", estate.site, estate.target.pool))
  end
  -- Another site still on a source pool loses Persistent Chat when that
  -- pool is removed (a pool can be the default of every site).
  for _, s in ipairs(topo:sites()) do
    for _, src in ipairs(sources) do
      if s.default_pool and string.lower(s.default_pool) == string.lower(src.pool) then
        log.warn("site %s still defaults to %s, a pool being migrated: switch it too, or its users lose Persistent Chat when %s is removed",
          s.name, src.pool, src.pool)
      end
    end
  end
end)

-- The pools' own settings (Persistent Chat and compliance configuration at
-- each pool's service scope, and its endpoints): the first source's
-- configurations go to the target as migrate.lua carries them; every later
-- source's endpoints move too, but the target keeps the configurations it
-- has by then, and a later source's differing values are warned about (its
-- users now get the first source's).
step("carry the pools' own settings over", function()
  if estate.is_lab() and not estate.pool_settings then
    print("the lab estate names no pool_settings file: the pools' own settings are not modelled here")
    return
  end
  for i, src in ipairs(sources) do
    local existing = i == 1 and "replace" or "keep"
    local r = pool.carry_settings(src.pool, "target", { existing = existing })
    if r.runbook then
      print(string.format("real estate: the runbook reads the settings of %s and %s", label(src),
        existing == "replace" and "recreates them for the target" or "moves its endpoints, keeping the target's configurations"))
    end
    for _, c in ipairs(r.changes) do
      print(string.format("%s: %s %s: %s (%s)", label(src), c.kind, c.object, settings_done(c.action), c.detail))
      if c.action == "kept" then
        log.warn("%s's %s differs from the target's, which %s: %s", label(src), c.kind,
          estate.dry_run() and "would be kept" or "is kept", c.detail)
      end
    end
  end
end)

step("verify the categories in the target", function()
  local missing, total = 0, 0
  for _, src in ipairs(sources) do
    local cmp = category.compare(src, "target")
    total = total + #cmp.present + #cmp.missing
    for _, name in ipairs(cmp.missing) do
      missing = missing + 1
      log.error("category %q of %s is missing in the target", name, label(src))
    end
  end
  if missing > 0 then
    pcmig.raise("validation", "%s not arrive", count(missing, "category did", "categories did"))
  end
  print(string.format("all %s in the target", count(total, "source category is", "source categories are")))
end)

step("move the users", function()
  local dir = user.load(estate.directory)
  local total = 0
  for _, src in ipairs(sources) do
    if src.registrar then
      local r = dir:move(dir:select({ pool = src.registrar }), estate.target.registrar)
      total = total + r.moved
    end
  end
  if not estate.is_lab() then
    -- A real estate's users move when the runbook runs, not now.
    print(string.format("%s to move to %s by the runbook's Move-CsUser", count(total, "user", "users"), estate.target.registrar))
  else
    print(string.format("%s %s to %s", count(total, "user", "users"), estate.dry_run() and "would move" or "moved", estate.target.registrar))
  end
  -- A row of a source registrar that is not a valid user is a user no move
  -- reaches: say how many, or the count above reads as all of them.
  for _, src in ipairs(sources) do
    local _, behind = dir:left_behind(src.registrar or "")
    if behind then log.warn("%s", behind) end
  end
end)

step("carry the creators over", function()
  -- With merge, every source's creators join the merged category. With
  -- first or rename, a source's creators go only to the categories it owns:
  -- the others are kept from the first source, or arrived renamed (with
  -- their creators) through the import.
  -- Each source's creators go to the categories its import created,
  -- renamed or merged, under their names in the target (the import's
  -- record); the target's own categories are left alone.
  local owner, carried, already, fromEstate, notAllowed = owners(), 0, 0, 0, 0
  local extra = estate.creators or {}
  for i, src in ipairs(sources) do
    local mine
    if policy ~= "merge" then
      mine = {}
      for _, c in ipairs(category.list(src)) do
        if owner[string.lower(c.name)] == label(src) then table.insert(mine, c.name) end
      end
    end
    -- Without the import's record (its journal was deleted) a name tells
    -- the migrated category from the target's own only under merge: under
    -- rename and skip the run stops rather than guess (common/imported.lua).
    local targets = imported.category_targets("target",
      { file = archive_of(src, i), on_conflict = conflict_of(i), source = label(src) })
    if mine == nil or #mine > 0 then
      local r = creator.carry_over(src, "target", { categories = mine, targets = targets, file = archive_of(src, i) })
      carried, notAllowed = carried + r.added, notAllowed + r.not_allowed
      for _, c in ipairs(r.categories) do already = already + #c.already end
    end
    -- The estate's creators (creators = { [category] = {...}, ["*"] = {...} })
    -- go to the categories this source's import brought, by their name in
    -- the source or in the target, as migrate.lua adds them.
    local brought = {}
    if targets then
      for from, to in pairs(targets) do brought[to] = from end
    else
      for _, c in ipairs(category.list(src)) do brought[c.name] = c.name end
    end
    local names = {}
    for to in pairs(brought) do table.insert(names, to) end
    table.sort(names)
    for _, to in ipairs(names) do
      local from, wanted = brought[to], {}
      for _, who in ipairs(extra["*"] or {}) do table.insert(wanted, who) end
      for _, who in ipairs(extra[to] or {}) do table.insert(wanted, who) end
      if from ~= to then
        for _, who in ipairs(extra[from] or {}) do table.insert(wanted, who) end
      end
      if #wanted > 0 and category.get("target", to) then
        local r = creator.add("target", to, wanted)
        fromEstate, notAllowed = fromEstate + r.added, notAllowed + r.not_allowed
      end
    end
  end
  -- Counted apart, as migrate.lua counts them.
  local dry = estate.dry_run()
  local there = ""
  if already > 0 then there = string.format(" (%s there already)", count(already, "was", "were")) end
  print(string.format("%s %s from the sources%s, %d %s from the estate's creators list; %d not allowed in their category (reported, not added)",
    count(carried, "creator", "creators"), dry and "would be carried over" or "carried over", there,
    fromEstate, dry and "would be added" or "added", notAllowed))
end)

step("reconcile the target with every source", function()
  local archives = {}
  for i, src in ipairs(sources) do
    archives[i] = archive_of(src, i)
  end
  local r = verify.run(sources, "target", { archive = archives })
  -- console_notes: of notes that repeat per category, room or role, the
  -- first few of each kind and how many there are (the report keeps
  -- every one of r.notes).
  for _, note in ipairs(r.console_notes) do
    log.info("%s", note)
  end
  for _, d in ipairs(r.differences) do
    log.error("%s: %s", d.source, d.text)
  end
  local t = r.totals
  local differs = ""
  if t.rooms_history_differs > 0 then
    differs = string.format(" (%s a different history)", count(t.rooms_history_differs, "room has", "rooms have"))
  end
  print(string.format("%s: %d of %s, %d of %s, %d of %s from %d sources%s", r.verdict,
    t.target.categories, count(t.source.categories, "category", "categories"), t.target.rooms, count(t.source.rooms, "room", "rooms"),
    t.target.messages, count(t.source.messages, "message", "messages"), #sources, differs))
  if not r.equal then
    pcmig.raise("validation", "the target differs from the sources in %s (listed above and in the report)", count(#r.differences, "way", "ways"))
  end
end)
