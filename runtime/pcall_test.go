package runtime

import (
	"context"
	"strings"
	"testing"
)

// TestPcallKeepsUpvalues checks that an error caught by pcall or xpcall
// leaves the variables of the frames that survive it shared with their
// closures (gopher-lua issue #448: an error closed the upvalues of every
// frame on the call stack, so a closure went on changing a copy).
func TestPcallKeepsUpvalues(t *testing.T) {
	tests := []struct {
		name, src, want string
		// runErr is part of the run's error, when the run fails.
		runErr string
	}{
		{
			name: "the counting pattern of docs/lua-api.md",
			src: `local failures = 0
local function try(f) local ok = pcall(f); if not ok then failures = failures + 1 end end
try(function() error("a") end)
try(function() error("b") end)
print(failures)`,
			want: "2",
		},
		{
			name: "typed errors from a Go module",
			src: `local testmod = require("testmod")
local conflicts, last = 0, nil
local function create(name)
  local ok, err = pcall(testmod.fail, "conflict", name .. " exists")
  if not ok then
    if type(err) == "userdata" and err.kind == "conflict" then
      conflicts = conflicts + 1
      last = err.message
    else
      error(err)
    end
  end
end
create("Sales"); create("Support")
print(conflicts, last)`,
			want: "2\tSupport exists",
		},
		{
			name: "issue 448: a local assigned after a caught error",
			src: `local a
local function use() return a("x") end
pcall(function() error("an error") end)
a = function(s) return "called " .. s end
print(use())`,
			want: "called x",
		},
		{
			name: "xpcall",
			src: `local n = 0
local function bump() n = n + 1 end
xpcall(function() bump(); error("x") end, function(e) bump(); return e end)
bump()
print(n)`,
			want: "3",
		},
		{
			name: "a closure made in the failed call keeps its own variable",
			src: `local saved
pcall(function()
  local x = "mine"
  saved = function() return x end
  error("stop")
end)
local function other(a, b, c, d) local y, z = "other", "values"; return a end
other(1, 2, 3, 4)
local f = function() local q = "overwritten" return q end
f()
print(saved())`,
			want: "mine",
		},
		{
			name: "a closure made in a call xpcall unwinds keeps its own variable",
			src: `local saved
xpcall(function()
  local x = "mine"
  saved = function() return x end
  error("stop")
end, function(e) return e end)
local function other(a, b, c, d) local y, z = "other", "values"; return a end
other(1, 2, 3, 4)
local f = function() local q = "overwritten" return q end
f()
print(saved())`,
			want: "mine",
		},
		{
			name: "pcall inside a coroutine",
			src: `local count = 0
local co = coroutine.create(function()
  for i = 1, 3 do
    local ok = pcall(error, "x")
    if not ok then count = count + 1 end
    coroutine.yield(count)
  end
end)
while coroutine.resume(co) do end
print(count)`,
			want: "3",
		},
		{
			name: "a failed step caught by pcall",
			src: `local failed = 0
local ok = pcall(step, "one", function() error("boom") end)
if not ok then failed = failed + 1 end
ok = pcall(step, "two", function() error("boom") end)
if not ok then failed = failed + 1 end
print(failed)`,
			want: "2",
			// The script went on; the steps did not finish.
			runErr: `the script caught the errors of 2 failed steps ("one", "two") and went on`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSource(t, context.Background(), tc.src, "", Options{})
			if r.err != nil && (tc.runErr == "" || !strings.Contains(r.err.Error(), tc.runErr)) || r.err == nil && tc.runErr != "" {
				t.Fatalf("Run() error = %v, want one containing %q", r.err, tc.runErr)
			}
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if got := lines[len(lines)-1]; got != tc.want {
				t.Errorf("printed %q, want %q\nstdout:\n%s", got, tc.want, r.stdout)
			}
		})
	}
}
