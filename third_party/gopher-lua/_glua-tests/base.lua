local ok, msg = pcall(function()
  dofile("notexist")
end)
assert(not ok and string.find(msg, ".*notexist.*"))

local ok, msg = pcall(function()
  assert(getfenv(2) == _G)
end)
assert(ok)

local i = 1
local fn = assert(load(function()
  local tbl = {"return ", "1", "+", "1"}
  local v = tbl[i]
  i = i + 1
  return v
end))
assert(fn() == 2)

local fn, msg = load(function()
    return {}
end)
assert(not fn and string.find(msg, "must return a string"))

local i = 1
local fn, msg = load(function()
  if i == 1 then
      i = i + 1
      return "returna"
  end
end)
assert(not fn and string.find(string.lower(msg), "eof"))

local ok, a, b = xpcall(function()
     return "a", "b"
  end, 
  function(err)
     assert(nil)
  end)
assert(ok and a == "a" and b == "b")

local ok, a, b = xpcall(function()
     error("error!")
  end, 
  function(err)
     return err .. "!", "b"
  end)
assert(not ok and string.find(a, "error!!") and b == nil)

-- error() raises nil; error(msg, level) names the function at that level,
-- 1 being the caller of error
local ok, e = pcall(error)
assert(not ok and e == nil)
local p = "function g() f() end\nfunction f(x) error('a', X) end\ng()\n"
for level, line in pairs({[1] = "2", [2] = "1", [3] = "3"}) do
  X = level
  local ok, msg = pcall(loadstring(p))
  assert(not ok and msg:match(":(%d+):") == line, msg)
end
X = 0
assert(select(2, pcall(loadstring(p))) == "a")
X = nil

-- nesting is bounded at compile time; long flat expressions are not
local f, msg = loadstring("return " .. ("{"):rep(20000) .. ("}"):rep(20000))
assert(not f and msg:find("syntax levels"), msg)
assert(loadstring("return " .. ("1+"):rep(5000) .. "1")() == 5001)
