-- common/imported.lua: what an import did with a source's categories, for the
-- steps after it. It is shared by the bundled scripts (migrate.lua and
-- multipool.lua), which load it with
--
--   local imported = require("common.imported")
--
-- A copy of a bundled script keeps loading it from pcmig. To change it,
-- print it ("pcmig scripts show common/imported"), save it beside your script
-- under another name (my_imported.lua) and require that name
-- (require("my_imported")): a bundled module is found before a file of the
-- same name in the script's folder, and a different file of this name there
-- stops the run (a conflict) rather than be passed over.

local estate = require("estate")
local import = require("import")
local log    = require("log")
local pcmig  = require("pcmig")

local M = {}

-- category_targets says which target categories an import brought: for
-- each source category the import created, renamed or merged (or found
-- already imported), the name it has in the target (source name -> target
-- name), from the import's record of what it did (import.record: this
-- run's import, or its journal when a resumed run skipped the import step).
-- The steps after the import touch and check only these categories; the
-- target's own are left alone.
--
--   pool              the pool the archive was imported into ("target")
--   opts.file         the archive (default estate.archive)
--   opts.on_conflict  how it was imported (default estate.on_conflict,
--                     else "merge")
--   opts.source       the source's name, for the messages (optional)
--
-- Without a record it returns nil under on_conflict "merge" (or "fail"), after a warning: a
-- category of the source's name in the target is then the one the import
-- merged into (or created), and the caller matches by name. Under "rename"
-- and "skip" a name cannot tell the migrated category from the target's
-- own (the source's Finance may have arrived as "Finance (imported)", or
-- been skipped, next to the target's own Finance): it raises io rather
-- than guess, saying how to get the record back. import.record's second
-- result says why there is none, and the message names that one case and
-- what to do for it:
--
--   "no journal"         the journal beside the archive was removed
--   "another archive"    the journal there is of another archive: the file
--                        was written again (a newer export) since
--   "another database"   the only journal there is of another database with
--                        the target's pool ID (a restored copy of the
--                        target, or the target a copy was made of): an
--                        older pcmig kept one journal per archive and pool
--                        ID, the last import's
--   "no archive"         the archive is no longer there
--   "unfinished import"  the journal records no categories: the import
--                        stopped before it wrote them
--
-- With the imported archive in place, importing it again gets the record
-- back: an import is exactly-once (it recognises what the earlier one wrote
-- by GUID and its messages by content) and writes the journal again.
function M.category_targets(pool, opts)
  opts = opts or {}
  local file = opts.file or estate.archive
  local rec, why = import.record(pool, { file = file })
  if rec then
    local targets = {}
    for _, c in ipairs(rec.categories) do
      if c.action ~= "skip" then targets[c.name] = c.target_name end
    end
    return targets
  end
  local what, into = file, pool
  if opts.source then what = string.format("%s (%s)", file, opts.source) end
  if pool == "target" then
    into = estate.target.pool
  elseif type(pool) == "table" then
    into = pool.pool or pool.name
  end
  local policy = opts.on_conflict or estate.on_conflict or "merge"
  if policy == "rename" or policy == "skip" then
    local again = string.format("import it again (pcmig import --db TARGET-DB --file %s --on-conflict %s: it "
      .. "imports nothing twice and writes the journal again)", file, policy)
    local case, fix
    if why == "no journal" then
      case = string.format("its journal (%s.import-*.json beside the archive) was removed", file)
      fix = "Put back the journal; or " .. again
    elseif why == "another archive" then
      case = string.format("the journal beside %s belongs to another archive: the file was written again (a newer "
        .. "export) since the import", file)
      fix = "Put back the archive this run imported, in place of the one there now (the journal is that archive's)"
    elseif why == "another database" then
      case = string.format("the journal beside %s records the import of it into another database with this pool's "
        .. "pool ID (a restored copy of the target, or the target a copy was made of), imported after this one by an "
        .. "older pcmig, which kept one journal for both", file)
      fix = "With the archive in place, " .. again .. " (it keeps a journal of its own, and leaves the other database's)"
    elseif why == "no archive" then
      case = string.format("the archive %s is no longer there", file)
      fix = "Put back the archive this run imported, with its journal beside it"
    elseif why == "unfinished import" then
      case = "its journal records no categories: the import stopped before it wrote them"
      fix = "With the archive in place, " .. again
    else
      case = string.format("import.record gave no reason (%s)", tostring(why))
      fix = "Put back the archive this run imported and its journal; or, with that archive in place, " .. again
    end
    pcmig.raise("io", "the record of the import of %s into %s is gone: %s. With on_conflict = %q the source's categories "
      .. "cannot be told from the target's own by name, and pcmig will not guess. %s; then run pcmig run --resume",
      what, into, case, policy, fix)
  end
  log.warn("no record of the import of %s into %s (%s): with on_conflict = %q the source's categories are matched by name",
    what, into, tostring(why), policy)
  return nil
end

return M
