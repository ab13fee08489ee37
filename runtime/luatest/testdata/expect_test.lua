-- Passing tests: each runs in a fresh state.
local expect = require("expect")
local shapes = require("lib.shapes")

counter = 0

function TestEq()
  expect.eq(shapes.square(3), 9, "square")
  expect.eq({ a = 1, b = { 2, 3 } }, { b = { 2, 3 }, a = 1 }, "deep tables")
  expect.ne("a", "b")
  expect.ok(true)
end

function TestTypedError()
  local err = expect.error(function() shapes.square("x") end, "argument", "number expected")
  expect.eq(err.kind, "argument")
  expect.eq(err.where, "testdata/lib/shapes.lua:5")
end

function TestFreshState()
  counter = counter + 1
  expect.eq(counter, 1, "state leaked between tests")
end

TestAssigned = function()
  counter = counter + 1
  expect.eq(counter, 1, "state leaked between tests")
end

function helper() end
