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
