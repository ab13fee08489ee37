-- Every error path docs/lua-api.md documents, with the kind it promises.
-- Each case calls one function the way the documentation says makes it
-- fail and checks that the error is typed (userdata with kind and message)
-- and of that kind. The damaged archives (damaged-*.zip) are written by the
-- Go test before the run.
local expect = require("expect")
local fixture = require("fixture")
local pcmig = require("pcmig")
local export, import = require("export"), require("import")
local category, creator, room = require("category"), require("creator"), require("room")
local topology, user = require("topology"), require("user")
local verify, doctor, pool = require("verify"), require("doctor"), require("pool")

local long = string.rep("x", 257)

-- kind runs f and returns the kind of the typed error it raised, or a
-- description of what it did instead.
local function kind(f)
  local ok, err = pcall(f)
  if ok then return "no error" end
  if type(err) ~= "userdata" then return "untyped error: " .. tostring(err) end
  expect.eq(type(err.message), "string")
  return err.kind
end

local function check(cases)
  for _, c in ipairs(cases) do
    expect.eq(kind(c[2]), c[3], c[1])
  end
end

-- a category and a room of the source, and a principal of it.
local function some()
  local cat = category.list("source")[1]
  local r = room.list("source")[1]
  return cat, r
end

function TestExportKinds()
  export.run("source", { file = "out/exists.zip" })
  check({
    { "unknown pool", function() export.run("nowhere", { file = "out/k.zip" }) end, "not_found" },
    { "scope names a missing category", function() export.run("source", { file = "out/k.zip", scope = { "No Such" } }) end, "not_found" },
    { "unknown level", function() export.run("source", { file = "out/k.zip", level = "Everything" }) end, "argument" },
    { "malformed date", function() export.run("source", { file = "out/k.zip", since = "yesterday" }) end, "argument" },
    { "archive exists", function() export.run("source", { file = "out/exists.zip" }) end, "io" },
    { "not an archive", function() export.run("source", { file = "users.csv", overwrite = true }) end, "io" },
    { "a folder", function() export.run("source", { file = "out", overwrite = true }) end, "io" },
    { "outside the estate", function() export.run("source", { file = "/nonexistent-pcmig/k.zip" }) end, "io" },
  })
end

function TestImportKinds()
  export.run("source", { file = "out/good.zip" })
  local cat = category.list("source")[1]
  category.create("target", { name = cat.name })
  check({
    { "unknown pool", function() import.run("nowhere", { file = "out/good.zip" }) end, "not_found" },
    { "missing file", function() import.run("target", { file = "out/missing.zip" }) end, "io" },
    { "outside the estate", function() import.run("target", { file = "/nonexistent-pcmig/k.zip" }) end, "io" },
    { "unknown on_conflict", function() import.run("target", { file = "out/good.zip", on_conflict = "maybe" }) end, "argument" },
    { "not an archive", function() import.run("target", { file = "users.csv" }) end, "validation" },
    { "fail conflicts", function() import.run("target", { file = "out/good.zip", on_conflict = "fail" }) end, "validation" },
    { "record: unknown pool", function() import.record("nowhere", { file = "out/good.zip" }) end, "not_found" },
    { "record: not an archive", function() import.record("target", { file = "users.csv" }) end, "validation" },
  })
  expect.eq(import.record("target", { file = "out/missing.zip" }), nil, "record of an archive that does not exist")
  expect.eq(import.record("target", { file = "out/good.zip" }), nil, "record of an archive never imported")
  for _, name in ipairs({ "truncated", "checksum", "missing-part", "extra-entry", "newer-format", "bad-record", "bad-json" }) do
    local file = "damaged-" .. name .. ".zip"
    expect.ok(fixture.read(file), file .. " was written by the Go test")
    expect.eq(kind(function() import.run("target", { file = file }) end), "validation", "damaged archive: " .. name)
  end
end

function TestCategoryKinds()
  local cat = some()
  local other = category.list("source")[2]
  check({
    { "list: unknown pool", function() category.list("nowhere") end, "not_found" },
    { "compare: targets maps a name to a number", function() category.compare("source", "target", { targets = { [cat.name] = 5 } }) end, "validation" },
    { "compare: targets keyed by a number", function() category.compare("source", "target", { targets = { cat.name } }) end, "validation" },
    { "create: name taken", function() category.create("source", { name = cat.name:upper() }) end, "conflict" },
    { "create: name too long", function() category.create("source", { name = long }) end, "validation" },
    { "create: unknown principal", function() category.create("source", { name = "K1", allowed_members = { "sip:nobody@nowhere.example" } }) end, "validation" },
    { "update: missing", function() category.update("source", "No Such", { description = "x" }) end, "not_found" },
    { "update: new_name taken", function() category.update("source", cat.name, { new_name = other.name }) end, "conflict" },
    { "update: too long", function() category.update("source", cat.name, { description = long }) end, "validation" },
  })
end

function TestCreatorKinds()
  check({
    { "list: missing category", function() creator.list("source", "No Such") end, "not_found" },
    { "add: missing category", function() creator.add("source", "No Such", { "sip:pcadmin@contoso.com" }) end, "not_found" },
    { "remove: missing category", function() creator.remove("source", "No Such", { "sip:pcadmin@contoso.com" }) end, "not_found" },
    { "remove: unknown principal", function() creator.remove("source", category.list("source")[1].name, { "sip:nobody@nowhere.example" }) end, "validation" },
    { "carry_over: missing category", function() creator.carry_over("source", "target", { categories = { "No Such" } }) end, "not_found" },
    { "carry_over: targets names a missing category", function() creator.carry_over("source", "target", { targets = { ["No Such"] = "X" } }) end, "not_found" },
    { "carry_over: targets maps a name to a number", function() creator.carry_over("source", "target", { targets = { [category.list("source")[1].name] = 5 } }) end, "validation" },
  })
end

function TestRoomKinds()
  local cat, r = some()
  check({
    { "can_create: missing category", function() room.can_create("source", "No Such", "sip:pcadmin@contoso.com") end, "not_found" },
    { "create: missing category", function() room.create("source", { name = "K1", category = "No Such" }) end, "not_found" },
    { "create: missing add-in", function() room.create("source", { name = "K1", category = cat.name, addin = "No Such" }) end, "not_found" },
    { "create: name taken", function() room.create("source", { name = r.name:lower(), category = cat.name }) end, "conflict" },
    { "create: unknown member", function() room.create("source", { name = "K1", category = cat.name, members = { "sip:nobody@nowhere.example" } }) end, "validation" },
    { "create: presenters in a normal room", function() room.create("source", { name = "K1", category = cat.name, presenters = { "sip:pcadmin@contoso.com" } }) end, "validation" },
    { "create: name too long", function() room.create("source", { name = long, category = cat.name }) end, "validation" },
    { "create: unknown privacy", function() room.create("source", { name = "K1", category = cat.name, privacy = "Hidden" }) end, "argument" },
    { "disable: missing", function() room.disable("source", "No Such") end, "not_found" },
    { "remove: missing", function() room.remove("source", "No Such") end, "not_found" },
  })
end

function TestTopologyKinds()
  local doc = topology.load()
  check({
    { "load: missing file", function() topology.load("nosuch.xml") end, "io" },
    { "load: outside the estate", function() topology.load("/etc/hostname") end, "io" },
    { "load: a NUL byte in the path", function() topology.load("topology\0.xml") end, "io" },
    { "load: a name too long for the file system", function() topology.load(("t"):rep(300) .. ".xml") end, "io" },
    { "load: a folder", function() topology.load(".") end, "io" },
    { "load: not a topology", function() topology.load("users.csv") end, "validation" },
    { "set_default_pool: unknown site", function() doc:set_default_pool("Atlantis", "pchat19.contoso.com") end, "validation" },
    { "set_default_pool: unknown pool", function() doc:set_default_pool("Redmond", "nowhere.contoso.com") end, "validation" },
    { "set_default_pool: not Persistent Chat", function() doc:set_default_pool("Redmond", "fe19.contoso.com") end, "validation" },
  })
end

function TestUserKinds()
  local dir = user.load()
  check({
    { "load: missing file", function() user.load("nosuch.csv") end, "io" },
    { "load: outside the estate", function() user.load("/etc/hostname") end, "io" },
    { "load: a NUL byte in the path", function() user.load("users\0.csv") end, "io" },
    { "load: a name too long for the file system", function() user.load(("u"):rep(300) .. ".csv") end, "io" },
    { "load: not a directory", function() user.load("topology.xml") end, "validation" },
    { "move: unknown user", function() dir:move({ "sip:nobody@nowhere.example" }, "fe19.contoso.com") end, "validation" },
    { "move: pool not an FQDN", function() dir:move({ dir:users()[1] }, "not a pool") end, "validation" },
  })
end

function TestVerifyDoctorPoolKinds()
  check({
    { "verify: unknown pool", function() verify.run({ "nowhere" }, "target") end, "not_found" },
    { "verify: scope names no category", function() verify.run({ "source" }, "target", { scope = { "No Such" } }) end, "argument" },
    { "doctor: unknown role", function() doctor.check("target", { role = "spectator" }) end, "argument" },
    { "doctor: unknown pool", function() doctor.check("nowhere") end, "not_found" },
    { "pool.copy_files: no file_store", function() pool.copy_files({ pool = "a.contoso.com", db = "sqlite:source-2015.db" }, "target") end, "argument" },
    { "pcmig.raise", function() pcmig.raise("conflict", "planted %d", 1) end, "conflict" },
  })
end

-- An options table with a key the function does not take is refused with
-- argument before the function does anything (bindings/options_test.go
-- calls every such function). The tables are built by a function, as a
-- script may build them: validate reports keys written in the call itself
-- before the script runs.
function TestOptionKinds()
  local doc, dir = topology.load(), user.load()
  local function built(t) return t end
  check({
    { "export.run: misspelt option", function() export.run("source", built{ file = "out/k.zip", levl = "Structure" }) end, "argument" },
    { "export.run: a value without a name", function() export.run("source", built{ "out/k.zip" }) end, "argument" },
    { "import.run: misspelt option", function() import.run("target", built{ on_conflcit = "skip" }) end, "argument" },
    { "room.create: misspelt field", function() room.create("source", built{ name = "K1", categroy = "x" }) end, "argument" },
    { "doc:set_default_pool: misspelt option", function() doc:set_default_pool("Redmond", "pchat19.contoso.com", { allow_other_sites = true }) end, "argument" },
    { "dir:move: misspelt option", function() dir:move({}, "fe19.contoso.com", { batches = 5 }) end, "argument" },
  })
  expect.eq(fixture.read("out/k.zip"), nil, "no archive written")
end

-- A pool table takes the keys of a pool of the estate file (and its db
-- table those of a database table): others are refused with argument.
function TestPoolTableKinds()
  local function built(t) return t end
  check({
    { "a misspelt pool key", function() category.list(built{ pool = "x.contoso.com", dbb = "sqlite:source-2015.db" }) end, "argument" },
    { "a misspelt db key", function() category.list(built{ pool = "x.contoso.com", db = { instnace = "sql\\x" } }) end, "argument" },
  })
  local ok, err = pcall(category.list, built{ pool = "x.contoso.com", db = "sqlite:source-2015.db", regsitrar = "fe" })
  expect.eq(ok, false)
  expect.eq(err.message, "pool table key regsitrar is not known; did you mean registrar?")
  expect.eq(err.op, "category.list")
  -- The estate's own pool tables pass as they are.
  expect.ok(#category.list(require("estate").source) > 0)
end
