-- luacheck configuration for pcmig migration scripts (Debian package lua-check).
--
-- Copy this file beside your scripts as .luacheckrc, or point at it:
--   luacheck --config path/to/pcmig/docs/.luacheckrc my-migration.lua
--
-- It knows exactly the globals pcmig's sandbox gives a script: the Lua 5.1
-- base library without dofile and loadfile, the string, table, math and
-- coroutine libraries, package (for require), and pcmig's built-ins step and
-- steps. There is no io, os or debug library in pcmig, so a script that uses
-- them, calls a misspelt built-in (stepz) or sets a global fails the check.
-- pcmig's modules (estate, export, import, ...) come from require, so
-- luacheck also catches a module used without its local require line.
--
-- What luacheck cannot check is the names a script uses from a module:
-- luacheck knows the fields of globals only (read_globals with fields), and
-- a module is a local that require returns, so a misspelt function such as
-- export.rnu passes luacheck whatever this file says. "pcmig validate
-- my-migration.lua" checks those names against the modules themselves
-- ("export.rnu: the export module has no function rnu; did you mean
-- run?") and the option keys written in calls ("export.run: option levl
-- is not known; did you mean level?"), and pcmig run does the same before
-- its first step.

stds.pcmig = {
  read_globals = {
    -- sandbox globals: begin (a test compares this list with the sandbox)
    "_G", "_GOPHER_LUA_VERSION", "_VERSION", "assert", "collectgarbage", "coroutine", "error", "getfenv",
    "getmetatable", "ipairs", "load", "loadstring", "math", "module", "newproxy", "next", "package", "pairs",
    "pcall", "print", "rawequal", "rawget", "rawset", "require", "select", "setfenv", "setmetatable", "step",
    "steps", "string", "table", "tonumber", "tostring", "type", "unpack", "xpcall",
    -- sandbox globals: end
  },
}

std = "pcmig"
max_line_length = false

-- The annotation file for editors declares the built-ins and require, and
-- its parameter names (category, pool) are documentation that may shadow a
-- module table.
files["**/pcmig.d.lua"] = {
  globals = { "step", "steps", "require" },
  unused_args = false,
  unused = false,
  ignore = { "43." },
}
