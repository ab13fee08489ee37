local a = {}
assert(table.maxn(a) == 0)
a["key"] = 1
assert(table.maxn(a) == 0)
table.insert(a, 10)
table.insert(a, 3, 10)
assert(table.maxn(a) == 3)

local ok, msg = pcall(function()
  table.insert(a)
end)
assert(not ok and string.find(msg, "wrong number of arguments"))

a = {}
a["key0"] = "0"
a["key1"] = "1"
a[1] = 1
a[2] = 2
a[true] = "true"
a[false] = "false"
for k, v in pairs(a) do
  if k == "key0" then
    assert(v == "0")
  elseif k == "key1" then
    assert(v == "1")
  elseif k == 1 then
    assert(v == 1)
  elseif k == 2 then
    assert(v == 2)
  elseif k == true then
    assert(v == "true")
  elseif k == false then
    assert(v == "false")
  else
    error("unexpected key:" .. tostring(k))
  end
end

-- table.concat of more pieces than the default registry holds
local a = {}
for i = 1, 3000 do a[i] = "xuxu" end
assert(table.concat(a, "123") .. "123" == string.rep("xuxu123", 3000))
assert(table.concat({1, 2.5, "x"}, ",") == "1,2.5,x")
assert(table.concat(a, "", 2999) == "xuxuxuxu")

-- integer keys far beyond the array part live in the hash part, and move
-- into the array when it reaches them
local t = {}
t[50000000] = "far"
assert(t[50000000] == "far" and t[49999999] == nil)
local n = 0
for k, v in pairs(t) do n = n + 1; assert(k == 50000000 and v == "far") end
assert(n == 1)
t = {}
t[1000] = 1000
for i = 1, 999 do t[i] = i end
n = 0
local seen = {}
for k, v in pairs(t) do
  assert(not seen[k] and k == v)
  seen[k] = true
  n = n + 1
end
assert(n == 1000 and #t == 1000)
t[1000] = nil
assert(t[1000] == nil and #t == 999)
t = {1, 2, 3}
t[200] = 200
table.insert(t, 1, 0)
assert(t[1] == 0 and t[4] == 3 and t[200] == 200 and #t == 4)
for i = 5, 199 do t[i] = i end
assert(#t == 200 and t[200] == 200)
assert(select("#", unpack({[3] = 3, [1000] = 1000}, 1000, 1000)) == 1)
assert(table.maxn{[1000] = true, [24.5] = 3} == 1000)
assert(table.maxn{["1000"] = true, [24.5] = 3} == 24.5)
assert(table.maxn{1, 2, [1e10] = 1} == 1e10)
