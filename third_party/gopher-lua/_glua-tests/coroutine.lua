co = coroutine.wrap(function()
  co()
end)

local ok, msg = pcall(function()
  co()
end)
assert(not ok and string.find(msg, "can not resume a running thread"))

co = coroutine.wrap(function()
  return 1
end)
assert(co() == 1)
local ok, msg = pcall(function()
  co()
end)
assert(not ok and string.find(msg, "can not resume a dead thread"))

-- a coroutine cannot yield across a call from Go (pcall, a metamethod):
-- the Go caller would go on as if the call had returned
local co = coroutine.create(function()
  local ok, err = pcall(function() coroutine.yield(1) end)
  assert(not ok and err:find("attempt to yield across metamethod/C%-call boundary"), err)
  coroutine.yield(2)
  return 3
end)
assert(select(2, coroutine.resume(co)) == 2)
assert(select(2, coroutine.resume(co)) == 3)
