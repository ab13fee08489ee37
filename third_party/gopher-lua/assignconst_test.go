package lua

import "testing"

// TestAssignToAFieldOfAConstant: the table of an assignment is read from a
// register, so a parenthesised constant must be loaded into one first.
func TestAssignToAFieldOfAConstant(t *testing.T) {
	L := NewState()
	defer L.Close()
	src := `local seen
getmetatable("").__newindex = function(s, k, v) seen = s .. "." .. k .. "=" .. v end
local a, b = 10, 20
("Lua").key = 1
assert(seen == "Lua.key=1", tostring(seen))
local ok, err = pcall(function() local s = "x"; (5).key = 1 end)
assert(not ok and err:find("non%-table object%(number%)"), err)`
	if err := L.DoString(src); err != nil {
		t.Fatal(err)
	}
}
