package lua

import "testing"

// TestStringsOnBytes checks the string library as Lua 5.1 has it in the C
// locale: upper and lower change ASCII letters only, string.char refuses
// a value outside 0..255, find and match start at most at the end, match
// without a match returns nil, and gmatch has no anchor.
func TestStringsOnBytes(t *testing.T) {
	L := NewState()
	defer L.Close()
	if err := L.DoString(`assert(("aé"):upper() == "Aé" and ("ÀB"):lower() == "Àb" and #("ı"):upper() == 2)
assert(not pcall(string.char, 256) and not pcall(string.char, -1))
local i, j = ("abc"):find("", 10)
assert(i == 4 and j == 3 and ("abc"):match("()", 10) == 4)
assert(select("#", ("abc"):match("x")) == 1)
local n = 0
for _ in ("aaa"):gmatch("^a") do n = n + 1 end
assert(n == 0)
for w in ("x^a"):gmatch("^a") do n = n + 1 end
assert(n == 1)`); err != nil {
		t.Fatal(err)
	}
}
