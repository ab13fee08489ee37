package runtime

import (
	"context"
	"strings"
	"testing"
)

// TestAssignToAFieldOfAConstant assigns to a field of a parenthesised
// constant (("Lua").key = 1), which Lua 5.1 hands to the value's
// __newindex or refuses. gopher-lua compiled the constant as the
// instruction's constant operand where a register is read, so the
// assignment worked on whatever the register held: (5).key = 1 was refused
// as indexing a string, ("Lua")[1] = 1 as indexing a number, __newindex got
// another value than the string, and with the string metatable's __index
// removed a never-written register made a Go panic (gopher-lua issue #524).
func TestAssignToAFieldOfAConstant(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"__newindex sees the string", `local seen
getmetatable("").__newindex = function(s, k, v) seen = s .. "." .. k .. "=" .. v end
local a, b = 10, 20
("Lua").key = 1
print(seen)`, "Lua.key=1"},
		{"a number is refused as a number", `print(pcall(function() local s = "x"; (5).key = 1 end))`, "false\tmigrate.lua:1: attempt to index a non-table object(number) with key 'key'"},
		{"a string is refused as a string", `print(pcall(function() local n = 7; ("Lua")[1] = 1 end))`, "false\tmigrate.lua:1: attempt to index a non-table object(string) with key '1'"},
		{"issue 524: no Go panic", `getmetatable("").__index = nil
print(pcall(function() do ("Lua").key = 1 end end))`, "false\tmigrate.lua:2: attempt to index a non-table object(string) with key 'key'"},
		{"a table constructor still works", `local t = {}
local ok = pcall(function() ({}).key = 1 end)
print(ok)`, "true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSource(t, context.Background(), tc.src, "", Options{})
			if r.err != nil {
				t.Fatalf("Run() error = %v", r.err)
			}
			if got := strings.TrimSpace(r.stdout); got != tc.want {
				t.Errorf("printed %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMathRandomOfAnEmptyInterval: math.random(0) and math.random(2, 1)
// are the script's mistake, as in Lua 5.1 ("interval is empty"); they were
// a Go panic of rand.Intn, reported as an internal error ("panic: invalid
// argument to Intn") that pcall saw without a position.
func TestMathRandomOfAnEmptyInterval(t *testing.T) {
	r := runSource(t, context.Background(), `print(pcall(math.random, 0))
print(pcall(math.random, 2, 1))
math.random(0)`, "", Options{})
	if r.err == nil {
		t.Fatal("Run() gave no error")
	}
	se, _ := r.err.(*ScriptError)
	if se == nil || se.Kind != KindScript || se.Line != 3 || !strings.Contains(se.Message, "interval is empty") {
		t.Errorf("Run() error = %#v, want a script error at line 3: interval is empty", r.err)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "false\tmigrate.lua:") || !strings.Contains(line, "interval is empty") {
			t.Errorf("printed %q, want the script's error, at its line: interval is empty", line)
		}
	}
}
