---@meta _
-- LuaLS annotations for pcmig migration scripts: the built-ins (step, steps,
-- log, pcmig) and the modules estate, export, import, category, creator, room,
-- topology, user, pool, verify and doctor. docs/lua-api.md explains every function.
--
-- Use: add this file to the language server's library, e.g. in .luarc.json
--   { "runtime.version": "Lua 5.1", "workspace.library": ["path/to/pcmig/docs/pcmig.d.lua"] }
-- require("export") and the others then resolve through the overloads of
-- require below. Where an editor does not pick them up, annotate the local:
--   local export = require("export") ---@type pcmig.export
--
-- Enumerated values ("merge"|"skip"|..., "Open"|"Closed"|...) are declared
-- in the spelling results give them; pcmig takes them in any letter case.

---------------------------------------------------------------------------
-- Shared types
---------------------------------------------------------------------------

---A typed error raised by the modules and by pcmig.raise; tostring gives
---"file:line: op: kind: message".
---@class pcmig.Error
---@field kind pcmig.ErrorKind
---@field message string
---@field op string The failing operation, such as "import.run"; "" for pcmig.raise outside a module.
---@field where string "file:line"
---@field file string
---@field line integer

---@alias pcmig.ErrorKind
---| "conflict"   # the target already holds it, or the pool refuses writes or is busy
---| "validation" # the input breaks a rule; nothing was written
---| "not_found"  # a named pool, category, room or add-in does not exist
---| "database"   # a query or transaction failed
---| "io"         # a file cannot be read or written
---| "argument"   # an option value is unknown, or the run has no estate
---| "script"     # error() with a string, or a Lua runtime error
---| "syntax"
---| "internal"
---| "timeout"
---| "cancelled"

---A database: a DSN ("sqlite:PATH", "sqlserver://...") or an instance in the cmdlets' terms.
---@alias pcmig.DB string|pcmig.DBInstance

---@class pcmig.DBInstance
---@field instance? string SQL Server instance, as for -DBInstance: "host\\instance"
---@field database? string Default "mgc".
---@field user? string SQL login; without it, Windows integrated authentication.
---@field password_env? string The environment variable holding the password.
---@field encrypt? "true"|"false"|"strict"|"disable"
---@field trust_server_certificate? boolean
---@field dsn? string

---A pool as the estate file describes one.
---@class pcmig.PoolTable
---@field name? string
---@field pool? string The Persistent Chat pool's FQDN.
---@field registrar? string The Front End pool its users are homed on.
---@field db pcmig.DB
---@field archive? string
---@field file_store? string Taken so that the estate's pools pass as they are; a pool table's own is not used.

---"source", "target", the name or FQDN of a pool of the estate, or a pool table.
---@alias pcmig.Pool "source"|"target"|string|pcmig.PoolTable

---A principal: SIP URI (or user@domain), another principal URI, AD GUID, AD distinguished name or UPN.
---@alias pcmig.Principal string

---------------------------------------------------------------------------
-- Built-ins
---------------------------------------------------------------------------

---Runs fn as a named step: printed, planned, journaled and skipped on --resume when finished.
---Names are unique within a run; steps do not nest.
---@param name string
---@param fn fun()
function step(name, fn) end

---Declares the number of steps, for the "Step 2/7" headers.
---@param n integer
function steps(n) end

---@class pcmig.log
local log = {}

---Logs at debug level; the arguments are formatted with string.format (a lone argument is not).
---@param format any
---@param ... any
function log.debug(format, ...) end

---Logs at info level.
---@param format any
---@param ... any
function log.info(format, ...) end

---Logs a warning; it is also recorded in the report under the current step.
---@param format any
---@param ... any
function log.warn(format, ...) end

---Logs an error; it is recorded in the report, and does not stop the script.
---@param format any
---@param ... any
function log.error(format, ...) end

---@class pcmig.pcmig
---@field dry_run boolean True in a dry run.
local pcmig = {}

---Runs fn as a named step (the global step).
---@param name string
---@param fn fun()
function pcmig.step(name, fn) end

---Declares the number of steps (the global steps).
---@param n integer
function pcmig.steps(n) end

---Raises a typed error of the given kind; the message is formatted with string.format.
---Any other kind than the modules' six is a plain Lua error.
---@param kind "conflict"|"validation"|"not_found"|"database"|"io"|"argument"
---@param format string
---@param ... any
function pcmig.raise(kind, format, ...) end

---------------------------------------------------------------------------
-- estate
---------------------------------------------------------------------------

---The estate file's table, paths made absolute and defaults filled in.
---@class pcmig.estate
---@field name string
---@field kind "lab"|"real"
---@field site? string The site whose default pool is switched; nil: none.
---@field file string
---@field topology string
---@field directory string
---@field archive string
---@field runbook string
---@field state string
---@field pool_settings? string Absolute path of a lab estate's pool settings file.
---@field source? pcmig.PoolTable
---@field sources? pcmig.PoolTable[]
---@field target pcmig.PoolTable
---@field export {level: string, scope?: string[], since?: string, disable_exported?: boolean, replace_unpaired_surrogates?: boolean}
---@field on_conflict "merge"|"skip"|"rename"|"fail"
---@field category_policy "merge"|"first"|"rename"
---@field creators? table<string, string[]> Per category name, or "*" for every category.
---@field routes? table<string, string[]> One source's categories routed to several target pools: per target pool FQDN (lower case), its categories (read from the routes file when the estate names one); export.scope is the estate's target's list.
---@field successor? string With routes: the target pool (FQDN, lower case) that takes the source pool's users and endpoints (routes' successor).
---@field move_batch integer
---@field allow_other_site boolean
---@field script? table<string, any>|any[] Free-form data for a script of your own: a list or a table keyed by names.
local estate = {}

---Whether pcmig applies topology and user changes itself (kind = "lab").
---@return boolean
function estate.is_lab() end

---Whether this run is a dry run.
---@return boolean
function estate.dry_run() end

---------------------------------------------------------------------------
-- export
---------------------------------------------------------------------------

---@class pcmig.export
local export = {}

---@class pcmig.ExportOptions
---@field file? string Default estate.archive; relative to the estate folder.
---@field level? "All"|"User"|"Category"|"RoomDirectory"|"Content"
---@field scope? string|string[] Category names; default all.
---@field since? string "2024-01-01" or "2024-01-01T08:00:00Z".
---@field disable_exported? boolean
---@field replace_unpaired_surrogates? boolean Lone UTF-16 surrogates exported as U+FFFD, each a warning, instead of refused.
---@field overwrite? boolean

---@class pcmig.ExportCounts
---@field principals integer
---@field categories integer
---@field addins integer
---@field rooms integer
---@field messages integer

---@class pcmig.ExportedRoom
---@field name string
---@field category string
---@field messages integer
---@field disabled boolean

---@class pcmig.ExportResult
---@field archive string
---@field level string
---@field scope string[]
---@field since? string
---@field counts pcmig.ExportCounts
---@field rooms pcmig.ExportedRoom[]
---@field disabled_rooms integer
---@field replaced_unpaired_surrogates? {messages: integer, structure: integer}
---@field warnings string[]
---@field started string
---@field duration_ns number

---Exports a pool into an archive (step 1). Raises not_found (pool, scope), argument (level, since),
---io (the archive exists without overwrite), conflict, database.
---@param pool pcmig.Pool
---@param options? pcmig.ExportOptions
---@return pcmig.ExportResult
function export.run(pool, options) end

---------------------------------------------------------------------------
-- import
---------------------------------------------------------------------------

---@class pcmig.import
local import = {}

---@class pcmig.ImportOptions
---@field file? string Default estate.archive; relative to the estate folder.
---@field on_conflict? "merge"|"skip"|"rename"|"fail" Default estate.on_conflict.

---@alias pcmig.ImportAction "create"|"merge"|"skip"|"rename"|"exists"

---@class pcmig.ImportedCategory
---@field name string
---@field target_name string
---@field action pcmig.ImportAction
---@field add_allowed integer
---@field add_denied integer
---@field add_creators integer
---@field rooms integer

---@class pcmig.ImportedRoom
---@field name string
---@field target_name string
---@field category string
---@field action pcmig.ImportAction
---@field add_members integer
---@field add_managers integer
---@field add_presenters integer
---@field messages integer
---@field already_imported integer
---@field imported integer

---@class pcmig.ImportConflict
---@field kind "category"|"room"|"add-in"
---@field name string
---@field resolution string
---@field detail string

---@class pcmig.ImportProblem
---@field severity "error"|"warning"
---@field object string
---@field message string
---@field kind? "inactive_principal"|"not_allowed"|"presenters"|"room_moved"|"room_history"|"lists_disagree"|"unknown_principal" Problems that repeat for many objects; nil for the others.

---@class pcmig.ImportResult
---@field archive string
---@field target string
---@field dry_run boolean
---@field on_conflict string
---@field level "User"|"Category"|"RoomDirectory"|"Content"|"All" The archive's export level: what it holds.
---@field principals {create: integer, existing: integer}
---@field add_affiliations integer
---@field addins {create: integer, existing: integer}
---@field categories pcmig.ImportedCategory[]
---@field rooms pcmig.ImportedRoom[]
---@field conflicts pcmig.ImportConflict[]
---@field problems pcmig.ImportProblem[]
---@field messages {in_archive: integer, already_imported: integer, to_import: integer, imported: integer, skipped: integer}
---@field resumed boolean
---@field stopped? boolean
---@field refused? string Always empty here: an import whose first write is refused raises instead (the JSON report of pcmig import carries the reason).
---@field duration_ns number

---Imports an archive into a pool (step 2); safe to re-run. Raises validation (bad archive,
---pre-flight errors: nothing written), argument (on_conflict), not_found, io, conflict, database.
---@param pool pcmig.Pool
---@param options? pcmig.ImportOptions
---@return pcmig.ImportResult
function import.run(pool, options) end

---@class pcmig.ImportOutcome
---@field name string In the archive (the source's name).
---@field target_name string In the target (a rename's "NAME (imported)").
---@field action pcmig.ImportAction

---@class pcmig.ImportRecord
---@field archive string
---@field journal? string The import journal it was read from (absent in a dry run).
---@field categories pcmig.ImportOutcome[]
---@field rooms pcmig.ImportOutcome[]

---What an import of the archive into the pool did with each archive category and room: this
---run's import in a dry run, else the import journal. nil when it was not imported there, and then
---a reason: "no journal", "another archive", "another database", "no archive" or "unfinished import".
---Reads only.
---@param pool pcmig.Pool
---@param options? {file?: string}
---@return pcmig.ImportRecord|nil record
---@return "no journal"|"another archive"|"another database"|"no archive"|"unfinished import"|nil reason nil with a record
function import.record(pool, options) end

---------------------------------------------------------------------------
-- category
---------------------------------------------------------------------------

---@class pcmig.category
local category = {}

---@class pcmig.Category
---@field name string
---@field guid string
---@field description string
---@field invitations boolean
---@field file_upload boolean
---@field chat_history boolean
---@field allowed_members string[] Principal URIs, sorted.
---@field denied_members string[]
---@field creators string[]
---@field rooms integer

---@class pcmig.CategoryFields
---@field name string
---@field description? string
---@field invitations? boolean
---@field file_upload? boolean
---@field chat_history? boolean
---@field allowed_members? pcmig.Principal|pcmig.Principal[]
---@field denied_members? pcmig.Principal|pcmig.Principal[]
---@field creators? pcmig.Principal|pcmig.Principal[]

---@class pcmig.CategoryChanges
---@field new_name? string
---@field description? string
---@field invitations? boolean
---@field file_upload? boolean
---@field chat_history? boolean

---@class pcmig.CategoryComparison
---@field present string[]
---@field missing string[]
---@field extra string[]
---@field different {name: string, differences: string[]}[]

---Every category of the pool.
---@param pool pcmig.Pool
---@return pcmig.Category[]
function category.list(pool) end

---The category of that name (any case), or nil.
---@param pool pcmig.Pool
---@param name string
---@return pcmig.Category|nil
function category.get(pool, name) end

---Compares the categories of two pools by name; options.targets maps source names to the target
---names they arrived under (import.record), and source categories it does not name are not compared.
---@param source_pool pcmig.Pool
---@param target_pool pcmig.Pool
---@param options? {targets?: table<string, string>}
---@return pcmig.CategoryComparison
function category.compare(source_pool, target_pool, options) end

---Creates a category. Raises conflict (name taken), validation (over 256 characters, unknown
---principals, a creator outside the allowed members).
---@param pool pcmig.Pool
---@param fields pcmig.CategoryFields
---@return pcmig.Category
function category.create(pool, fields) end

---Changes a category's name, description and settings. Raises not_found, conflict, validation.
---@param pool pcmig.Pool
---@param name string
---@param changes pcmig.CategoryChanges
---@return pcmig.Category
function category.update(pool, name, changes) end

---------------------------------------------------------------------------
-- creator
---------------------------------------------------------------------------

---@class pcmig.creator
local creator = {}

---@class pcmig.CreatorCategory
---@field name string
---@field added string[]
---@field already string[]
---@field not_allowed string[] Outside the allowed members minus denied members: not written.
---@field unknown string[] Not provisioned in the pool: not written.

---@class pcmig.CreatorResult
---@field added integer
---@field not_allowed integer
---@field unknown integer
---@field categories pcmig.CreatorCategory[]
---@field missing_categories string[]

---The category's creators (URIs, sorted). Raises not_found.
---@param pool pcmig.Pool
---@param category string
---@return string[]
function creator.list(pool, category) end

---Adds creators who are within the category's allowed members minus denied members. Raises
---not_found. On a real estate the Set-CsPersistentChatCategory line goes into the runbook too.
---@param pool pcmig.Pool
---@param category string
---@param principals pcmig.Principal|pcmig.Principal[]
---@return pcmig.CreatorResult
function creator.add(pool, category, principals) end

---Removes creators. Raises not_found (category), validation (unknown principals).
---@param pool pcmig.Pool
---@param category string
---@param principals pcmig.Principal|pcmig.Principal[]
---@return {removed: integer}
function creator.remove(pool, category, principals) end

---Copies the creators of from_pool's categories to to_pool's categories of the same name (step 6),
---or to the target names options.targets maps them to (import.record); with targets, categories it
---does not name are left out. Principals are matched by the import's rule, applied to the principals
---of options.file (the archive from_pool was exported to; default its archive, else the estate's) when
---it was imported into to_pool, else to from_pool's. Raises not_found for a name in
---options.categories or a key of options.targets that from_pool lacks.
---@param from_pool pcmig.Pool
---@param to_pool pcmig.Pool
---@param options? {categories?: string|string[], targets?: table<string, string>, file?: string}
---@return pcmig.CreatorResult
function creator.carry_over(from_pool, to_pool, options) end

---------------------------------------------------------------------------
-- room
---------------------------------------------------------------------------

---@class pcmig.room
local room = {}

---@class pcmig.Room
---@field name string
---@field guid string
---@field category string
---@field description string
---@field privacy "Open"|"Closed"|"Secret"
---@field type "Normal"|"Auditorium"
---@field invitations "Inherit"|"False"
---@field disabled boolean
---@field addin string Add-in name; "" for none.
---@field members string[] Principal URIs, sorted.
---@field managers string[]
---@field presenters string[]

---@class pcmig.RoomFields
---@field name string
---@field category string
---@field description? string
---@field privacy? "Open"|"Closed"|"Secret" Default "Closed".
---@field type? "Normal"|"Auditorium" Default "Normal".
---@field invitations? "Inherit"|"False" Default "Inherit".
---@field addin? string
---@field members? pcmig.Principal|pcmig.Principal[]
---@field managers? pcmig.Principal|pcmig.Principal[]
---@field presenters? pcmig.Principal|pcmig.Principal[] Auditorium rooms only.
---@field creator? pcmig.Principal Must pass room.can_create; becomes a manager and a member.

---The pool's rooms, or one category's.
---@param pool pcmig.Pool
---@param options? {category?: string}
---@return pcmig.Room[]
function room.list(pool, options) end

---Whether the principal may create rooms in the category, and if not, why. Raises not_found.
---@param pool pcmig.Pool
---@param category string
---@param principal pcmig.Principal
---@return boolean ok
---@return string|nil reason
function room.can_create(pool, category, principal) end

---Creates a room under the eligibility rules. Raises not_found (category, add-in), conflict (name
---taken), validation (eligibility, presenters outside auditoriums, over 256 characters), argument.
---@param pool pcmig.Pool
---@param fields pcmig.RoomFields
---@return pcmig.Room
function room.create(pool, fields) end

---Disables a room; false when it was disabled already. Raises not_found.
---@param pool pcmig.Pool
---@param name string
---@return boolean changed
function room.disable(pool, name) end

---Deletes a room with its history. Raises not_found.
---@param pool pcmig.Pool
---@param name string
function room.remove(pool, name) end

---Creates pcmig's probe room ("pcmig probe room") in the category as the creator and removes it at
---once, after removing its own probe room that an interrupted run left behind (leftover = true).
---Raises conflict for a room of that name that pcmig did not create, not_found, validation.
---@param pool pcmig.Pool
---@param category string
---@param creator pcmig.Principal
---@return {name: string, guid: string, category: string, creator: string, leftover: boolean}
function room.probe(pool, category, creator) end

---------------------------------------------------------------------------
-- topology
---------------------------------------------------------------------------

---@class pcmig.topology
local topology = {}

---@class pcmig.Site
---@field id string
---@field name string
---@field default_pool? string

---@class pcmig.TopologyPool
---@field fqdn string
---@field site string
---@field site_id string
---@field roles string[]
---@field machines string[]
---@field version string
---@field product string

---@class pcmig.SQLStore
---@field host string
---@field instance string
---@field db_instance string As for -DBInstance.
---@field database string

---@class pcmig.PersistentChatPool
---@field fqdn string
---@field site string
---@field site_id string
---@field version string
---@field product string
---@field display_name string
---@field machines string[]
---@field store pcmig.SQLStore
---@field compliance_store? pcmig.SQLStore
---@field next_hop string
---@field site_default boolean

---A loaded topology document (userdata pcmig.topology); call its methods with ":".
---@class pcmig.TopologyDocument
local TopologyDocument = {}

---Reads a topology document (Get-CsTopology -AsXml); path defaults to estate.topology. Raises io,
---validation.
---@param path? string
---@return pcmig.TopologyDocument
function topology.load(path) end

---@return pcmig.Site[]
function TopologyDocument:sites() end

---@return pcmig.TopologyPool[]
function TopologyDocument:pools() end

---@return pcmig.PersistentChatPool[]
function TopologyDocument:persistent_chat_pools() end

---The site's default Persistent Chat pool, or nil.
---@param site string Name, "site:Name" or ID.
---@return string|nil
function TopologyDocument:default_pool(site) end

---set_default_pool's validation alone; changes nothing.
---@param site string
---@param fqdn string
---@param options? {allow_other_site?: boolean}
---@return boolean ok
---@return string|nil reason
function TopologyDocument:can_set_default_pool(site, fqdn, options) end

---Makes fqdn the site's default Persistent Chat pool (step 3); false when it already is. Raises
---validation (unknown site or pool, not a Persistent Chat pool, another site). Lab: the file is
---rewritten; real estate: Set-CsSite goes into the runbook; dry run: nothing is written.
---@param site string
---@param fqdn string
---@param options? {allow_other_site?: boolean}
---@return boolean changed
function TopologyDocument:set_default_pool(site, fqdn, options) end

---------------------------------------------------------------------------
-- user
---------------------------------------------------------------------------

---@class pcmig.user
local user = {}

---@class pcmig.User
---@field sip string
---@field upn string
---@field pool string The registrar pool the user is homed on.
---@field line integer
---@field disabled? boolean True when the CSV's Enabled column says False (Set-CsUser -Enabled $False).
---@field extra? table<string, string> Other columns of the CSV.

---@class pcmig.DirectoryProblem
---@field line integer
---@field sip string
---@field message string

---@class pcmig.MoveResult
---@field moved integer
---@field already integer
---@field disabled integer How many of the users moved are disabled (Enabled False); they move like the others.
---@field users string[] The SIP addresses moved.

---A loaded user directory (userdata pcmig.directory); call its methods with ":".
---@class pcmig.Directory
local Directory = {}

---Reads a user directory CSV (Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool,Enabled |
---Export-Csv users.csv -Encoding UTF8); path defaults to estate.directory. Raises io, validation.
---@param path? string
---@return pcmig.Directory
function user.load(path) end

---@return pcmig.User[]
function Directory:users() end

---The users homed on a pool, or those the predicate keeps.
---@param filter {pool: string}|fun(user: pcmig.User): boolean?
---@return pcmig.User[]
function Directory:select(filter) end

---The rows that are not valid users.
---@return pcmig.DirectoryProblem[]
function Directory:problems() end

---The lines of the problem rows of pool's users (users no move reaches), and a warning that
---says how many and where; nil when there are none.
---@param pool string
---@return integer[] lines
---@return string? message
function Directory:left_behind(pool) end

---Homes users on target_pool (step 5). Raises validation (unknown users, problem rows, not an
---FQDN). Lab: the CSV is rewritten; real estate: Move-CsUser -MoveConferenceData lines (never -Force)
---go into the runbook in batches; dry run: nothing is written.
---@param users (pcmig.User|string)[]
---@param target_pool string
---@param options? {batch?: integer}
---@return pcmig.MoveResult
function Directory:move(users, target_pool, options) end

---------------------------------------------------------------------------
-- pool
---------------------------------------------------------------------------

---@class pcmig.pool
local pool = {}

---@class pcmig.FileTotals
---@field files integer
---@field bytes integer

---@class pcmig.CopyFilesResult
---@field runbook boolean True for a real estate: the runbook copies.
---@field source pcmig.FileTotals
---@field target pcmig.FileTotals
---@field copied integer
---@field kept integer
---@field missing string[] Files not in the target (dry run: to copy).
---@field collisions? string[][] Groups of names that differ only by case or Unicode form, copied apart because the target folder tells them apart (a Windows store would not).
---@field unfit? pcmig.UnfitFile[] Names a Windows file store cannot hold as they are, copied because the target is not one.

---@class pcmig.UnfitFile
---@field file string
---@field problem string

---@class pcmig.SettingsChange
---@field kind "configuration"|"compliance"|"endpoint"
---@field object string
---@field action "create"|"update"|"move"|"unchanged"|"kept"
---@field detail string

---@class pcmig.CarrySettingsOptions
---@field existing? "replace"|"keep" The new pool's own configurations: replaced by the old pool's (default), or kept (a later pool of several moving into one).
---@field endpoints_to? string The pool the old pool's endpoints go to (default to_pool); another pool's, and they are left for its estate (routes' successor).

---@class pcmig.CarrySettingsResult
---@field runbook boolean True for a real estate: the runbook carries them.
---@field changes pcmig.SettingsChange[]

---@class pcmig.CopyFilesOptions
---@field scope? string|string[] Lab only: copy only the files the messages of these source categories' rooms link to.

---Copies the uploaded files from one pool's file store to the other's (lab), or puts the robocopy
---copy into the runbook (real). Never writes one upload over another: raises conflict (a target file of
---other content under a source file's name) or validation (names the target would take as one, names a
---Windows target cannot hold) before the first file, naming the files and the messages that link to them.
---Raises argument (no file_store; a scope on a real estate), not_found (a scope category the source lacks), io.
---@param from_pool pcmig.Pool
---@param to_pool pcmig.Pool
---@param options? pcmig.CopyFilesOptions
---@return pcmig.CopyFilesResult
function pool.copy_files(from_pool, to_pool, options) end

---Gives the new pool the old pool's service-scope configuration, compliance configuration and
---endpoints (lab: estate.pool_settings; real: a runbook section). Raises argument, io.
---@param from_pool pcmig.Pool
---@param to_pool pcmig.Pool
---@param options? pcmig.CarrySettingsOptions
---@return pcmig.CarrySettingsResult
function pool.carry_settings(from_pool, to_pool, options) end

---------------------------------------------------------------------------
-- verify
---------------------------------------------------------------------------

---@class pcmig.verify
local verify = {}

---@class pcmig.VerifyOptions
---@field archive? string|string[] The archive each source was exported to; default the pool's, else estate.archive.
---@field scope? string[] Compare only these source categories.

---@class pcmig.VerifyCounts
---@field categories integer
---@field rooms integer
---@field messages integer

---@class pcmig.VerifySource
---@field label string
---@field database string
---@field archive? string
---@field import_journal? string
---@field level string
---@field scope? string[]
---@field since? string

---@class pcmig.VerifyCategory
---@field source string
---@field name string
---@field target_name string "" when missing in the target.
---@field import_action? pcmig.ImportAction
---@field source_rooms integer
---@field target_rooms integer
---@field source_messages integer
---@field target_messages integer
---@field shared_messages integer Messages of its rooms that an earlier-compared source room merged into the same target room holds too.
---@field differences integer

---@class pcmig.VerifyRoom
---@field source string
---@field category string
---@field name string
---@field target_name string "" when missing in the target.
---@field import_action? pcmig.ImportAction
---@field comparison? "whole"|"journal range"|"multiset"|"none"|"" How the history was compared ("" in a dry run).
---@field source_messages integer
---@field target_messages integer
---@field shared_messages integer Messages that a source room compared before it, merged into the same target room, holds too.
---@field first_message? string
---@field last_message? string
---@field source_digest? string SHA-256 of the ordered history, hex.
---@field target_digest? string
---@field equal boolean

---@class pcmig.VerifyDifference
---@field source string
---@field category string
---@field object string "category NAME" or "room NAME".
---@field text string A sentence that starts with object.

---@class pcmig.VerifyNotCarried
---@field source string
---@field category string
---@field object string "category NAME" or "room NAME".
---@field role "member"|"manager"|"presenter"|"creator"
---@field principal string The principal's URI.
---@field text string A sentence that starts with object.

---@class pcmig.VerifyNoCategoryRoom
---@field source string
---@field name string
---@field node integer Its tblNode.nodeID in the source.
---@field where string "at the root", "inside room NAME, node N", "its parent node N is missing" or "it has no parent node".
---@field messages integer The messages it holds (from the export's start date on).
---@field text string A sentence that starts with the source's label.

---@class pcmig.VerifyResult
---@field verdict "EQUAL"|"DIFFERENT"
---@field equal boolean
---@field target string
---@field sources pcmig.VerifySource[]
---@field totals {source: pcmig.VerifyCounts, target: pcmig.VerifyCounts, shared_messages: integer, target_objects: {categories: integer, rooms: integer}, rooms_history_differs: integer} rooms_history_differs: target rooms whose history differs from what the sources meant to arrive, each once however many source rooms were merged into it (target.messages counts their messages present, not intact).
---@field categories pcmig.VerifyCategory[]
---@field rooms pcmig.VerifyRoom[]
---@field differences pcmig.VerifyDifference[]
---@field not_carried pcmig.VerifyNotCarried[] Source roles outside the target category's allowed members minus denied members: not granted by the import, not differences.
---@field rooms_in_no_category pcmig.VerifyNoCategoryRoom[] Source rooms in no category (at the root, inside a room, parent missing): no export carries them or their history; not differences, each a warning.
---@field notes string[]
---@field console_notes string[] What a run's console shows of notes: of each kind that repeats per category, room or role the first 3, then how many there are and where every one is (every note at --log-level debug).
---@field structure_only boolean
---@field uploaded_files {file_store?: string, links: integer, missing: integer, missing_from_source_too: integer, differ: integer}
---@field started string
---@field duration_ms integer

---Reconciles the target with one or more sources, object by object; read-only. Differences are in
---the result, not raised. Raises argument (scope), not_found, database.
---@param sources pcmig.Pool|pcmig.Pool[]
---@param target pcmig.Pool
---@param options? pcmig.VerifyOptions
---@return pcmig.VerifyResult
function verify.run(sources, target, options) end

---------------------------------------------------------------------------
-- doctor
---------------------------------------------------------------------------

---@class pcmig.doctor
local doctor = {}

---@class pcmig.DoctorOptions
---@field role? "target"|"source" Default: "target" for the estate's target, else "source".
---@field file? string The archive to be imported, for the space checks.
---@field size_from? string|string[] Pools whose messages the import brings.

---@class pcmig.DoctorCheck
---@field status "OK"|"WARN"|"FAIL"|"N/A"
---@field check string What was checked: connection, schema, types, identity, triggers, collation, permissions, roles, ...
---@field message string What was found.
---@field action? string What to do about it.

---@class pcmig.DoctorReport
---@field ok boolean No check failed.
---@field fails integer
---@field warnings integer
---@field database string The database, without secrets.
---@field role "target"|"source"
---@field checks pcmig.DoctorCheck[]

---Read-only pre-flight of the pool's database (pcmig doctor). Raises argument, not_found; an empty or unset password_env variable is a FAIL connection line naming it.
---@param pool pcmig.Pool
---@param options? pcmig.DoctorOptions
---@return pcmig.DoctorReport
function doctor.check(pool, options) end

---doctor.check, logging WARN and FAIL lines; raises validation when a check failed.
---@param pool pcmig.Pool
---@param options? pcmig.DoctorOptions
---@return pcmig.DoctorReport
function doctor.require(pool, options) end

---------------------------------------------------------------------------
-- require
---------------------------------------------------------------------------

---@overload fun(modname: "estate"): pcmig.estate
---@overload fun(modname: "export"): pcmig.export
---@overload fun(modname: "import"): pcmig.import
---@overload fun(modname: "category"): pcmig.category
---@overload fun(modname: "creator"): pcmig.creator
---@overload fun(modname: "room"): pcmig.room
---@overload fun(modname: "topology"): pcmig.topology
---@overload fun(modname: "user"): pcmig.user
---@overload fun(modname: "pool"): pcmig.pool
---@overload fun(modname: "verify"): pcmig.verify
---@overload fun(modname: "doctor"): pcmig.doctor
---@overload fun(modname: "log"): pcmig.log
---@overload fun(modname: "pcmig"): pcmig.pcmig
---@param modname string
---@return any
function require(modname) end
