-- user: loading a user directory, selecting users and moving them on a lab
-- estate (the CSV file is rewritten).
local expect = require("expect")
local fixture = require("fixture")
local user = require("user")

local function lines(text)
  local out = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do table.insert(out, line) end
  return out
end

local function sips(users)
  local out = {}
  for _, u in ipairs(users) do table.insert(out, u.sip) end
  return out
end

-- data_lines counts the CSV rows of users (not the #TYPE and header lines).
local function data_lines(text)
  local n = 0
  for _, l in ipairs(lines(text)) do
    if l:match('^"sip:') then n = n + 1 end
  end
  return n
end

function TestLoad()
  local estate = require("estate")
  local dir = user.load(estate.directory)
  local users = dir:users()
  expect.eq(#users, data_lines(fixture.read("users.csv")))
  expect.ok(#users >= 12)
  for i, u in ipairs(users) do
    expect.ok(u.sip:match("^sip:[^@]+@contoso%.com$"), u.sip)
    expect.eq(u.upn, u.sip:sub(5))
    expect.eq(u.pool, "fe15.contoso.com")
    expect.eq(u.line, i + 2, "after the #TYPE and header lines")
    -- The lab's file has an Enabled column and no other: it is u.disabled,
    -- not an extra column (a table per user for it alone grew step 7's
    -- peak RSS by about 20 MiB at 20,000 users).
    expect.eq(u.extra, nil, u.sip)
  end
  expect.eq(dir:problems(), {})
  expect.eq(user.load():users(), users, "the estate's directory by default")
  expect.eq(user.load("users.csv"):users(), users, "relative to the estate folder")
end

function TestSelect()
  local dir = user.load("users.csv")
  local all = dir:users()
  expect.eq(dir:select({ pool = "FE15.contoso.com" }), all, "pools match in any case")
  expect.eq(dir:select({ pool = "fe19.contoso.com" }), {})
  local want = {}
  for _, u in ipairs(all) do
    if u.sip:find("^sip:[a-m]") then table.insert(want, u) end
  end
  expect.ok(#want > 0 and #want < #all)
  local seen = 0
  local got = dir:select(function(u)
    seen = seen + 1
    expect.eq(type(u.line), "number")
    return u.sip:find("^sip:[a-m]") ~= nil
  end)
  expect.eq(got, want)
  expect.eq(seen, #all, "the predicate sees every user")
  expect.eq(dir:select(function() return nil end), {})
  expect.error(function() dir:select(function() error("predicate failed") end) end, nil, "predicate failed")
  expect.error(function() dir:select({}) end, nil, "filter table needs pool")
  expect.error(function() dir:select("fe15.contoso.com") end, nil, "filter expected")
end

function TestMoveOnALabEstate()
  local before = fixture.read("users.csv")
  local dir = user.load("users.csv")
  local users = dir:select({ pool = "fe15.contoso.com" })
  local batch = { users[1], users[2].sip, users[3] }
  local r = dir:move(batch, "fe19.contoso.com")
  expect.eq(r, { moved = 3, already = 0, disabled = 0, users = { users[1].sip, users[2].sip, users[3].sip } })
  -- The file is rewritten: exactly those three rows change, to the new pool.
  local a, b = lines(before), lines(fixture.read("users.csv"))
  expect.eq(#b, #a)
  local changed = {}
  for i = 1, #a do
    if a[i] ~= b[i] then
      table.insert(changed, b[i])
      expect.eq(b[i], (a[i]:gsub("fe15%.contoso%.com", "fe19.contoso.com")))
    end
  end
  expect.eq(#changed, 3)
  expect.eq(sips(dir:select({ pool = "fe19.contoso.com" })), r.users)
  expect.eq(#user.load("users.csv"):select({ pool = "fe19.contoso.com" }), 3, "a second load sees the moves")
  -- Moving them again changes nothing and records nothing.
  local after = fixture.read("users.csv")
  expect.eq(dir:move(batch, "FE19.contoso.com"), { moved = 0, already = 3, disabled = 0, users = {} })
  expect.eq(fixture.read("users.csv"), after)
  local plan = fixture.plan()
  expect.eq(#plan, 1)
  expect.eq(plan[1].module .. "." .. plan[1].op, "user.move")
  expect.eq(plan[1].target, "fe19.contoso.com")
  expect.eq(plan[1].count, 3)
  expect.eq(fixture.runbook(), nil, "a lab estate needs no runbook")
end

function TestMoveTwiceInOneCall()
  local dir = user.load("users.csv")
  local u = dir:users()[1]
  expect.eq(dir:move({ u, u.sip, string.upper(u.sip) }, "fe19.contoso.com"), { moved = 1, already = 0, disabled = 0, users = { u.sip } })
  expect.eq(fixture.plan()[1].count, 1)
end

function TestMoveErrors()
  local before = fixture.read("users.csv")
  local dir = user.load("users.csv")
  local u = dir:users()[1]
  local err = expect.error(function()
    dir:move({ u, "sip:nobody@contoso.com" }, "fe19.contoso.com")
  end, "validation", 'not in the directory: "sip:nobody@contoso.com"')
  expect.eq(err.op, "user.move")
  expect.error(function() dir:move({ u }, "not a pool") end, "validation", "not an FQDN")
  expect.error(function() dir:move({ 42 }, "fe19.contoso.com") end, nil, "list of users or SIP addresses expected")
  expect.error(function() dir:move(u.sip, "fe19.contoso.com") end, nil, "bad argument #2")
  expect.error(function() dir:move({ u }) end, nil, "bad argument #3")
  expect.eq(dir:move({}, "fe19.contoso.com"), { moved = 0, already = 0, disabled = 0, users = {} })
  expect.eq(fixture.read("users.csv"), before, "nothing was written")
  expect.eq(dir:users()[1].pool, "fe15.contoso.com", "nobody moved")
  expect.eq(fixture.plan(), {})
end

function TestProblems()
  fixture.write("bad.csv", table.concat({
    '"SipAddress","UserPrincipalName","RegistrarPool"',
    '"sip:ann@contoso.com","ann@contoso.com","fe15.contoso.com"',
    '"","nobody@contoso.com","fe15.contoso.com"',
    '"sip:bob@contoso.com","bob@contoso.com",""',
    '"sip:cy@contoso.com","cy@contoso.com","fe15.contoso.com"',
    "",
  }, "\r\n"))
  local dir = user.load("bad.csv")
  expect.eq(sips(dir:users()), { "sip:ann@contoso.com", "sip:cy@contoso.com" })
  local problems = dir:problems()
  expect.eq(#problems, 2)
  expect.eq(problems[1].line, 3)
  expect.eq(problems[2].line, 4)
  expect.eq(problems[2].sip, "sip:bob@contoso.com")
  for _, p in ipairs(problems) do expect.eq(type(p.message), "string") end
  expect.error(function() dir:move({ "sip:bob@contoso.com" }, "fe19.contoso.com") end, "validation", "rows with problems")
  -- Moves keep the problem rows and the CRLF line endings.
  dir:move({ "sip:ann@contoso.com" }, "fe19.contoso.com")
  local text = fixture.read("bad.csv")
  expect.ok(text:find('"sip:ann@contoso.com","ann@contoso.com","fe19.contoso.com"\r\n', 1, true), text)
  expect.ok(text:find('"sip:bob@contoso.com","bob@contoso.com",""\r\n', 1, true), text)
end

function TestLoadErrors()
  local err = expect.error(function() user.load("missing.csv") end, "io", "missing.csv")
  expect.eq(err.op, "user.load")
  fixture.write("nocolumns.csv", '"Name","Pool"\n"a","b"\n')
  expect.error(function() user.load("nocolumns.csv") end, "validation", "SipAddress")
  fixture.write("empty.csv", "")
  expect.error(function() user.load("empty.csv") end, "validation", "no header row")
  local dir = user.load("users.csv")
  expect.error(function() dir.users() end, nil, "bad argument #1")
end

-- Windows PowerShell 5.1's Export-Csv without -Encoding writes ASCII, a '?'
-- for every other character: sip:jörg@ arrives as sip:j?rg@. That user can
-- be neither found nor moved, so the file is refused (a run would leave the
-- user on the old pool), saying how many rows and the first line.
function TestLossyASCIIExport()
  fixture.write("ascii.csv", table.concat({
    "#TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser",
    '"SipAddress","UserPrincipalName","RegistrarPool"',
    '"sip:ann@contoso.com","ann@contoso.com","fe15.contoso.com"',
    '"sip:j?rg@contoso.com","j?rg@contoso.com","fe15.contoso.com"',
    "",
  }, "\r\n"))
  expect.error(function() user.load("ascii.csv") end, "validation", "1 row has a SIP address that lost characters to '?' (the first on line 4)")
end
