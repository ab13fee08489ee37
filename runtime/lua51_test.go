package runtime

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lua51Case is a Lua expression and what Lua 5.1.5 (Linux, C locale) prints
// for its values, joined by spaces; "error: TEXT" when evaluating it raises
// an error whose message contains TEXT.
type lua51Case struct{ expr, want string }

// lua51Numbers are the conversions between numbers and strings: what
// tostring, concatenation and table.concat write (C's "%.14g", "inf",
// "-0") and math.huge, which is the infinity 1/0 gives.
var lua51Numbers = []lua51Case{
	{`1/0 == math.huge, -1/0 == -math.huge, math.huge > 1.7976931348623157e308`, "true true true"},
	{`math.huge, -math.huge, 1/0, -1/0, math.floor(1/0)`, "inf -inf inf -inf inf"},
	{`math.abs(0/0), math.huge - math.huge ~= math.huge - math.huge`, "nan true"},
	{`tostring(0/0):match("^%-?nan$") ~= nil`, "true"},
	{`"x" .. 1/0, "x" .. -1/0, 1/0 .. ""`, "xinf x-inf inf"},
	{`1e15, 1e14, 99999999999999, 1e16, 1e100, 1e-5, 1e-4`, "1e+15 1e+14 99999999999999 1e+16 1e+100 1e-05 0.0001"},
	{`2^53, 2^63, -2^63, 2^31, -2^31, 2^24`, "9.007199254741e+15 9.2233720368548e+18 -9.2233720368548e+18 2147483648 -2147483648 16777216"},
	{`0.1, 0.1 + 0.2, 1/3, -1/7, math.pi, 123456789012.5, 2^32 + 0.5`, "0.1 0.3 0.33333333333333 -0.14285714285714 3.1415926535898 123456789012.5 4294967296.5"},
	{`5e-324, 1.7976931348623157e308, 12345678901234567890, 3.0, 314.16e-2`, "4.9406564584125e-324 1.7976931348623e+308 1.2345678901235e+19 3 3.1416"},
	{`(function() local z = 0 return -z, z * -1, 0 / -1, -z == 0 end)()`, "-0 -0 0 true"},
	{`table.concat({1, 2.5, 1e15, 1/0, -2^63}, ",")`, "1,2.5,1e+15,inf,-9.2233720368548e+18"},
	{`({["1e+15"] = "b"})[tostring(1e15)], ({[1e15] = "a"})[1000000000000000]`, "b a"},
	{`string.format("%s|%s|%5.1f|%g|%.14g", 1e15, 1/0, 1/0, -1/0, 2^53)`, "1e+15|inf|  inf|-inf|9.007199254741e+15"},
	{`string.format("%d", 3.7), 2^53 .. "", 10 / 2`, "3 9.007199254741e+15 5"},
}

// lua51Conversions are strings read as numbers: tonumber, arithmetic on
// strings and numerals in the source (luaO_str2d: C's strtod, leading and
// trailing white space, 0x integers) and tonumber with a base.
var lua51Conversions = []lua51Case{
	{`tonumber("0x10"), tonumber("  5  "), tonumber("5e"), tonumber("1e500"), tonumber("-1e500")`, "16 5 nil inf -inf"},
	{`tonumber("1e2"), tonumber("5e-07"), tonumber("2E2"), tonumber(".5"), tonumber("5."), tonumber("+5"), tonumber("-0x10"), tonumber("0X1F")`, "100 5e-07 200 0.5 5 5 -16 31"},
	{`tonumber("010"), tonumber("0010"), tonumber("\v5\f"), tonumber("5\r"), tonumber("1e-500"), tonumber(" -1.2e2 ")`, "10 10 5 5 0 -120"},
	{`tonumber("0b11"), tonumber("0o7"), tonumber("1_000"), tonumber(""), tonumber(" "), tonumber("0x"), tonumber("1e"), tonumber("."), tonumber("+ 5"), tonumber("1 2")`, "nil nil nil nil nil nil nil nil nil nil"},
	{`"010" + 0, "1e2" + 0, " 0x10 " * 1, "\t5\n" - 0, 0010, 0x10, 1e2`, "10 100 16 5 10 16 100"},
	{`"0b11" + 0`, "error: perform"},
	{`"1_000" * 1`, "error: perform"},
	{`tonumber("10", 16), tonumber(10, 16), tonumber("ff", 16), tonumber("zz", 36), tonumber("  1010  ", 2), tonumber("7", 8), tonumber("8", 8)`, "16 16 255 1295 10 7 nil"},
	{`tonumber("1.5", 16), tonumber("", 16), tonumber(" ", 16), tonumber("1_0", 16), tonumber("0x1f", 16), tonumber("1e1", 16)`, "nil nil nil nil 31 481"},
	{`tonumber({}), tonumber(nil), tonumber(true), tonumber("10", 10), tonumber("1e1", 10), tonumber("0x10", 10)`, "nil nil nil 10 10 16"},
	{`tonumber("10", 1)`, "error: base out of range"},
	{`tonumber("10", 37)`, "error: base out of range"},
	{`tonumber({}, 16)`, "error: string expected, got table"},
	{`tonumber(string.rep("1", 42), 2) + 1 == 2^42, tonumber("7fffffffffffffff", 16)`, "true 9.2233720368548e+18"},
	{`(function() local n = 0 for i = "10", "1", "-2" do n = n + 1 end return n end)()`, "5"},
	{`(function() local t = {} for i = " 0x2 ", "3" do t[#t + 1] = i end return unpack(t) end)()`, "2 3"},
}

// lua51Strings are the string library on bytes (Lua 5.1 in the C locale):
// upper and lower change ASCII letters only, classes are ASCII, and a
// string's length is its bytes.
var lua51Strings = []lua51Case{
	{`("é"):upper() == "é", #("é"):upper(), ("aé"):upper(), ("ÀB"):lower(), ("ıi"):upper(), ("\226\132\170"):lower() == "\226\132\170"`, "true 2 Aé Àb ıI true"},
	{`("ABC\0DEF"):lower() == "abc\0def", ("Müller"):upper(), #("ẞ"):lower()`, "true MüLLER 3"},
	{`string.byte("é", 1, -1)`, "195 169"},
	{`#"é", string.len("é"), string.char(195, 169) == "é", ("héllo"):reverse() == "oll\169\195h"`, "2 2 true true"},
	{`("é"):find("%a"), ("É"):find("%u"), ("é"):find("%w"), ("Müller"):match("%a+"), (("aéb"):gsub("%A", "X"))`, "nil nil nil M aXXb"},
	{`string.char(256)`, "error: invalid value"},
	{`string.char(-1)`, "error: invalid value"},
	{`("abc"):find("", 10)`, "4 3"},
	{`("abc"):find("", 4), ("abc"):match("()", 10), ("abc"):find("c", 10), ("abc"):find("", -10)`, "4 4 nil 1 0"},
	{`("abc"):match("", 10) == "", select("#", ("abc"):match("x")), tostring(("abc"):match("x"))`, "true 1 nil"},
	{`(function() local n = 0 for _ in ("aaa"):gmatch("^a") do n = n + 1 end return n end)()`, "0"},
	{`(function() local t = {} for w in ("x^a^ay"):gmatch("^a") do t[#t + 1] = w end return #t, t[1] end)()`, "2 ^a"},
}

// lua51Patterns are sets and malformed patterns as Lua 5.1's matcher reads
// them (lstrlib.c classEnd, matchbracketclass, matchbalance).
var lua51Patterns = []lua51Case{
	{`("Sales-EMEA_2 x"):gsub("[%w-_]", "")`, "  13"},
	{`("a-z"):find("[%a-z]"), ("9-"):find("[%d-z]+")`, "1 1 2"},
	{`("x]"):find("[]]"), ("]x"):find("[^]]"), ("b-"):match("[a-]+"), ("-b"):match("[-b]+")`, "2 2 - -b"},
	{`("a]b"):gsub("[a-%]]", "X")`, "aXb 1"},
	{`("100%"):find("%")`, "error: malformed pattern (ends with '%')"},
	{`("(x)"):gsub("%b", "")`, "error: unbalanced pattern"},
	{`("(x)"):find("%b(")`, "error: unbalanced pattern"},
	{`("abc"):match("[a")`, "error: malformed pattern (missing ']')"},
	{`("abc"):match("[%a")`, "error: malformed pattern (missing ']')"},
	// No special character: a plain find, as Lua 5.1's str_find_aux.
	{`("x Sales) y"):find("Sales)")`, "3 8"},
	{`("a]b"):find("]"), ("x"):find("y)")`, "2 nil"},
	{`("a)b"):find(")", 1, false), ("a)b"):find("a)", 2), ("a)b"):find(")", 1, nil, "extra")`, "2 nil 2 2"},
}

// lua51Gsub are string.gsub's replacements and string.gmatch's iterator
// (Lua 5.1's add_s, add_value and gmatch_aux).
var lua51Gsub = []lua51Case{
	{`("a.b"):gsub("%.", "%-"), ("50"):gsub("%d+", "%1%%"), ("abc"):gsub(".", "%a")`, "a-b 50% aaa 3"},
	{`("a b"):gsub(" ", "%%20"), ("abc"):gsub("b", "%1"), ("abc"):gsub("(b)", "[%0|%1]")`, "a%20b abc a[b|b]c 1"},
	{`("abc"):gsub("a", "%") == "\0bc"`, "true"},
	{`("abc"):gsub("(a)", "%2")`, "error: invalid capture index"},
	{`("abc"):gsub("b", 5), ("abc"):gsub("b", 2.5)`, "a5c a2.5c 1"},
	{`("abc"):gsub("b", true)`, "error: bad argument #"},
	{`("Sales Legal"):gsub("%a+", {Sales = true})`, "error: invalid replacement value (a boolean)"},
	{`("Sales Legal"):gsub("%a+", {Sales = {}})`, "error: invalid replacement value (a table)"},
	{`("Sales Legal"):gsub("%a+", function(w) return w == "Sales" end)`, "error: invalid replacement value (a boolean)"},
	{`("Sales Legal"):gsub("%a+", {Sales = "S", Legal = false}), ("a b"):gsub("%a", {a = 1})`, "S Legal 1 b 2"},
	{`("aaa"):gsub("a", "b", 0), ("aaa"):gsub("a", "b", -1), ("aaa"):gsub("a", "b", 2)`, "aaa aaa bba 2"},
	{`("a1b2"):gmatch("%d")()`, "1"},
	{`(function() local it = ("a1b2"):gmatch("%a(%d)") return it(), it(), it() end)()`, "1 2"},
	{`select("#", ("x"):gmatch("x")), type(("x"):gmatch("x"))`, "1 function"},
	{`(function() local n = 0 for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do n = n + v end return n end)()`, "3"},
}

// lua51Tables are table.insert, table.remove and table.concat at and past
// the list's ends (Lua 5.1's tinsert, tremove, tconcat).
var lua51Tables = []lua51Case{
	{`(function() local t = {1, 2, 3} local n = select("#", table.remove(t, 0)) return n, #t, t[3] end)()`, "0 3 3"},
	{`(function() local t = {1, 2, 3} local n = select("#", table.remove(t, 7)) return n, #t end)()`, "0 3"},
	{`(function() local t = {} return select("#", table.remove(t)), #t end)()`, "0 0"},
	{`(function() local t = {1, 2, 3} return table.remove(t, 1), #t, t[1], t[3] end)()`, "1 2 2 nil"},
	{`(function() local t = {1, 2, 3} return table.remove(t), #t end)()`, "3 2"},
	{`(function() local t = {1, 2} table.insert(t, 1, 0) table.insert(t, 4, 9) return table.concat(t, ",") end)()`, "0,1,2,9"},
	{`table.insert({1, 2}, 1, 2, 3)`, "error: wrong number of arguments to 'insert'"},
	{`table.insert({1, 2})`, "error: wrong number of arguments to 'insert'"},
	{`table.concat({1, 2, 3}, ",", 2, 5)`, "error: invalid value (nil) at index 4 in table for 'concat'"},
	{`table.concat({1, 2, 3}, ",", 0)`, "error: invalid value (nil) at index 0 in table for 'concat'"},
	{`table.concat({1, 2, 3}, ",", 3, 2), table.concat({1, 2, 3}, ",", 2), table.concat({}, ",", 1, 0)`, " 2,3 "},
	{`table.concat({1, {}, 3})`, "error: invalid value (table) at index 2 in table for 'concat'"},
	// next from a key the table never held (patch 0022); a field cleared
	// during a traversal stays a key to go on from.
	{`next({}, "nokey")`, "error: invalid key to 'next'"},
	{`next({a = 1, b = 2}, "nokey")`, "error: invalid key to 'next'"},
	{`next({1, 2}, 1.5)`, "error: invalid key to 'next'"},
	{`next({1, 2}, 3)`, "error: invalid key to 'next'"},
	{`next({1, 2}, 2), (function() local t = {a = 1} t.a = nil return next(t, "a") end)()`, "nil nil"},
	{`(function() local t = {1, 2, 3, a = 1, b = 2} local n = 0 for k in pairs(t) do t[k] = nil n = n + 1 end return n, next(t) end)()`, "5 nil"},
	{`(function() local t = {} for i = 1, 50 do t["k" .. i] = i t[i * 1000] = i end local n = 0 for k in pairs(t) do t[k] = nil n = n + 1 end return n, next(t) end)()`, "100 nil"},
}

// lua51Script returns a script that prints each case's values on a line,
// or "error: MESSAGE" (the message without its position), in the sandbox
// and in lua5.1 alike.
func lua51Script(cases []lua51Case) string {
	var b strings.Builder
	b.WriteString(`local function show(ok, ...)
  if not ok then print("error: " .. tostring((...)):gsub("^[^:]*:%d+: ", "")) return end
  local t = {}
  for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
  print(table.concat(t, " "))
end
`)
	for _, c := range cases {
		fmt.Fprintf(&b, "show(pcall(function() return %s end))\n", c.expr)
	}
	return b.String()
}

// checkLua51 compares each line of out with its case.
func checkLua51(t *testing.T, who string, cases []lua51Case, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%s printed %d lines for %d cases:\n%s", who, len(lines), len(cases), out)
	}
	for i, c := range cases {
		got := lines[i]
		if want, ok := strings.CutPrefix(c.want, "error: "); ok {
			if !strings.HasPrefix(got, "error: ") || !strings.Contains(got, want) {
				t.Errorf("%s: %s\n got %q\nwant an error containing %q", who, c.expr, got, want)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s\n got %q\nwant %q", who, c.expr, got, c.want)
		}
	}
}

// runLua51Cases runs the cases in the sandbox and checks them.
func runLua51Cases(t *testing.T, cases []lua51Case) {
	t.Helper()
	r := runSource(t, context.Background(), lua51Script(cases), "", Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkLua51(t, "pcmig", cases, r.stdout)
}

// TestNumbersAsLua51 checks numbers as strings and math.huge against
// Lua 5.1: released gopher-lua wrote 1e15 as 1000000000000000, 1/0 as
// +Inf and 1/3 with 16 digits, and its math.huge was the largest finite
// number, so 1/0 == math.huge was false.
func TestNumbersAsLua51(t *testing.T) { runLua51Cases(t, lua51Numbers) }

// TestConversionsAsLua51 checks strings read as numbers against Lua 5.1:
// released gopher-lua's tonumber gave nil for "1e2" (a numeral with an
// exponent but no point) and "1e500", ignored a base out of range, and its
// arithmetic read "010" as octal 8 and accepted Go's "0b11" and "1_000".
func TestConversionsAsLua51(t *testing.T) { runLua51Cases(t, lua51Conversions) }

// TestStringsAsLua51 checks the string library against Lua 5.1: released
// gopher-lua's upper and lower were Go's Unicode case mapping ("é" became
// the bytes of "É", "ı" became "I", one byte shorter), string.char(256)
// wrapped around, find from past the end started at the beginning,
// match without a match returned nothing (not nil) and gmatch read a
// leading "^" as an anchor.
func TestStringsAsLua51(t *testing.T) { runLua51Cases(t, lua51Strings) }

// TestPatternsAsLua51 checks sets and malformed patterns against Lua 5.1:
// released gopher-lua read "[%a-z]" and "[%w-_]" as a range from a class,
// which matched nothing (so ("a-z"):find("[%a-z]") was nil and a gsub that
// should strip letters, digits, '-' and '_' changed nothing), and a pattern
// ending in '%' or a "%b" without its two characters matched nothing
// instead of raising an error.
func TestPatternsAsLua51(t *testing.T) { runLua51Cases(t, lua51Patterns) }

// TestGsubAsLua51 checks string.gsub's replacements and string.gmatch
// against Lua 5.1 (patch 0020): released gopher-lua kept "%-" as "%-" in
// a replacement where Lua 5.1 writes "-", took true or a table from a
// replacement table or function as the empty string (a gsub with a set
// {Sales = true} deleted every name in it), refused a number as the
// replacement, replaced everything for a limit below 1, and its gmatch
// iterator could not be called by itself (s:gmatch(p)() raised "bad
// argument #1 to ? (userdata expected, got nil)").
func TestGsubAsLua51(t *testing.T) { runLua51Cases(t, lua51Gsub) }

// TestTablesAsLua51 checks table.insert, table.remove and table.concat at
// the list's ends against Lua 5.1 (patch 0021): released gopher-lua's
// table.remove(t, 0) removed the last element, a position past the end
// returned nil rather than nothing, table.insert ignored a fourth
// argument, and table.concat clamped its range to the list without an
// error. And next from a key the table never held went on from the
// hash part's second key (next({a = 1, b = 2}, "nokey") returned a key)
// where Lua 5.1 raises (patch 0022).
func TestTablesAsLua51(t *testing.T) { runLua51Cases(t, lua51Tables) }

// TestLua51CasesAgainstLua51 checks the expected values of these tests
// against the reference interpreter, where it is installed (Debian's
// lua5.1), so that they are Lua 5.1's and not pcmig's own.
func TestLua51CasesAgainstLua51(t *testing.T) {
	lua, err := exec.LookPath("lua5.1")
	if err != nil {
		t.Skip("lua5.1 is not installed (apt-get install lua5.1)")
	}
	for name, cases := range map[string][]lua51Case{"numbers": lua51Numbers, "conversions": lua51Conversions, "strings": lua51Strings, "patterns": lua51Patterns,
		"gsub": lua51Gsub, "tables": lua51Tables} {
		path := filepath.Join(t.TempDir(), name+".lua")
		if err := os.WriteFile(path, []byte(lua51Script(cases)), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(lua, path).Output()
		if err != nil {
			t.Fatalf("lua5.1 %s: %v", name, err)
		}
		checkLua51(t, "lua5.1 "+name, cases, string(out))
	}
}
