local expect = require("expect")

function TestEqFails()
  expect.eq({ 1, 2 }, { 1, 3 }, "lists")
end

function TestNoError()
  expect.error(function() end)
end

function TestWrongKind()
  expect.error(function() require("pcmig").raise("conflict", "exists") end, "validation")
end

function TestUntyped()
  expect.error(function() error("plain") end, "validation")
end

function TestOk()
  expect.ok(nil, "value")
end

function TestRuntimeError()
  local t = nil
  return t.x
end
