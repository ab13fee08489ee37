package lua

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// varNameCases: runtime errors name the value as Lua 5.1's getobjname does.
// lua51 is what lua5.1 says (checked when lua5.1 is on PATH); want is
// gopher-lua's message: the same for a call, arithmetic, a concatenation
// or a length, and for indexing followed by " with key '...'" (the key
// the script read, which 5.1 leaves out). Where a name is not certain,
// gopher-lua keeps its message without one.
var varNameCases = []struct {
	name, src, lua51, want string
}{
	{"global call", "foo()",
		"c:1: attempt to call global 'foo' (a nil value)", ""},
	{"global call with arguments", "local a = 1\nprint(a, undefined_fn(a, 2))",
		"c:2: attempt to call global 'undefined_fn' (a nil value)", ""},
	{"tail call", "return foo(1)",
		"c:1: attempt to call global 'foo' (a nil value)", ""},
	{"local call", "local f = 5\nf()",
		"c:2: attempt to call local 'f' (a number value)", ""},
	{"field call", "local t = {}\nt.go()",
		"c:2: attempt to call field 'go' (a nil value)", ""},
	{"method call", "local t = {}\nt:go(1)",
		"c:2: attempt to call method 'go' (a nil value)", ""},
	{"upvalue call", "local u\nlocal function f() u() end\nf()",
		"c:2: attempt to call upvalue 'u' (a nil value)", ""},
	{"call of a moved global", "local x = 1\ndo local g = nothing; g() end",
		"c:2: attempt to call local 'g' (a nil value)", ""},
	{"local index", "local t\nprint(t.first)",
		"c:2: attempt to index local 't' (a nil value)", " with key 'first'"},
	{"nested field", "local t = {}\nprint(t.name.first)",
		"c:2: attempt to index field 'name' (a nil value)", " with key 'first'"},
	{"deeper field", "local t = {a = {}}\nprint(t.a.b.c)",
		"c:2: attempt to index field 'b' (a nil value)", " with key 'c'"},
	{"global index", "print(config.pools)",
		"c:1: attempt to index global 'config' (a nil value)", " with key 'pools'"},
	{"upvalue index", "local cfg\nlocal function f() return cfg.pools end\nf()",
		"c:2: attempt to index upvalue 'cfg' (a nil value)", " with key 'pools'"},
	{"index of a number", "local n = 5\nprint(n.x)",
		"c:2: attempt to index local 'n' (a number value)", " with key 'x'"},
	{"index with a variable key", "local t, k = nil, 'x'\nprint(t[k])",
		"c:2: attempt to index local 't' (a nil value)", " with key 'x'"},
	{"assignment to a field", "local t = {}\nt.a.b = 1",
		"c:2: attempt to index field 'a' (a nil value)", " with key 'b'"},
	{"assignment to a local's field", "local t\nt.x = 1",
		"c:2: attempt to index local 't' (a nil value)", " with key 'x'"},
	{"method on nil", "local s\ns:upper()",
		"c:2: attempt to index local 's' (a nil value)", " with key 'upper'"},
	{"arithmetic on a local", "local x\nreturn x + 1",
		"c:2: attempt to perform arithmetic on local 'x' (a nil value)", ""},
	{"arithmetic on a field", "local t = {}\nreturn 1 + t.count",
		"c:2: attempt to perform arithmetic on field 'count' (a nil value)", ""},
	{"arithmetic on a global", "return total * 2",
		"c:1: attempt to perform arithmetic on global 'total' (a nil value)", ""},
	{"negation", "local x = {}\nreturn -x",
		"c:2: attempt to perform arithmetic on local 'x' (a table value)", ""},
	{"concatenation of a local", "local x\nreturn 'a' .. x",
		"c:2: attempt to concatenate local 'x' (a nil value)", ""},
	{"concatenation of a field", "local t = {}\nreturn 'name: ' .. t.name .. '!'",
		"c:2: attempt to concatenate field 'name' (a nil value)", ""},
	{"length of a global", "return #rooms",
		"c:1: attempt to get length of global 'rooms' (a nil value)", ""},
	{"locals of ended blocks", "do local a = 1 end\ndo local b = {}\nb.c.d = 1 end",
		"c:3: attempt to index field 'c' (a nil value)", " with key 'd'"},
	{"local after a loop", "for i = 1, 2 do end\nlocal t\nprint(t.x)",
		"c:3: attempt to index local 't' (a nil value)", " with key 'x'"},

	{"parameter", "local function f(x) return x.y end\nf()",
		"c:1: attempt to index local 'x' (a nil value)", " with key 'y'"},
	{"self", "local T = {}\nfunction T:m() return self.a.b end\nT:m()",
		"c:2: attempt to index field 'a' (a nil value)", " with key 'b'"},
	{"vararg local", "local function f(...) local a, b = ... ; return a.x end f()",
		"c:1: attempt to index local 'a' (a nil value)", " with key 'x'"},
	{"in a loop after an if", "for i = 1, 2 do\n  if i == 2 then foo() end\nend",
		"c:2: attempt to call global 'foo' (a nil value)", ""},
	{"in a while loop", "local t = {}\nwhile true do local r = t.rows; r.x = 1 end",
		"c:2: attempt to index local 'r' (a nil value)", " with key 'x'"},
	{"loop variable", "for k, v in pairs({a = 1}) do v() end",
		"c:1: attempt to call local 'v' (a number value)", ""},

	// Where the register may have been set on another path, no name: Lua
	// 5.1 names the last instruction that set it in the code, which was
	// not the one that ran here (t.a gave the 5).
	{"after a conditional", "local c = true\nlocal t = {a = 5}\nprint((c and t.a or t.b).x)",
		"c:3: attempt to index field 'b' (a number value)", "c:3: attempt to index a non-table object(number) with key 'x'"},
	{"after an or", "local t = {}\n;(t.a or t.b)()",
		"c:2: attempt to call a nil value", "c:2: attempt to call a non-function object"},
	{"after a call", "local function f() end\nprint(f().x)",
		"c:2: attempt to index a nil value", "c:2: attempt to index a non-table object(nil) with key 'x'"},
	{"constant", "return ('x')()",
		"c:1: attempt to call a string value", "c:1: attempt to call a non-function object"},
	{"table constructor", "return ({}) + 1",
		"c:1: attempt to perform arithmetic on a table value", "c:1: cannot perform add operation between table and number"},
	{"concatenation of a made value", "local t = setmetatable({}, {__concat = function() return nil end})\nreturn {} .. ('a' .. t)",
		"c:2: attempt to concatenate a table value", "c:2: cannot perform concat operation between table and nil"},
	{"after __index", "local t = setmetatable({}, {__index = setmetatable({}, {__index = 5})})\nreturn t.x",
		"c:2: attempt to index a number value", "c:2: attempt to index a non-table object(number) with key 'x'"},
	{"variable key", "local t, k = {}, 'a'\nprint(t[k].x)",
		"c:2: attempt to index field '?' (a nil value)", "c:2: attempt to index a non-table object(nil) with key 'x'"},
}

func runForMessage(t *testing.T, src string) string {
	t.Helper()
	L := NewState()
	defer L.Close()
	fn, err := L.Load(strings.NewReader(src), "c")
	if err != nil {
		t.Fatalf("load %q: %v", src, err)
	}
	L.Push(fn)
	err = L.PCall(0, MultRet, nil)
	if err == nil {
		t.Fatalf("%q raised no error", src)
	}
	if apiErr, ok := err.(*ApiError); ok {
		return apiErr.Object.String()
	}
	return err.Error()
}

func TestRuntimeErrorsNameTheValue(t *testing.T) {
	for _, tc := range varNameCases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if !strings.HasPrefix(want, "c:") {
				want = tc.lua51 + tc.want
			}
			if got := runForMessage(t, tc.src); got != want {
				t.Errorf("%q:\n got %q\nwant %q", tc.src, got, want)
			}
		})
	}
}

// TestLua51NamesTheValue checks the cases' lua51 messages against the
// reference interpreter, when it is installed.
func TestLua51NamesTheValue(t *testing.T) {
	lua51, err := exec.LookPath("lua5.1")
	if err != nil {
		t.Skip("lua5.1 is not installed")
	}
	dir := t.TempDir()
	driver := filepath.Join(dir, "driver.lua")
	if err := os.WriteFile(driver, []byte("local f = assert(loadstring(io.open(arg[1]):read('*a'), '=c'))\nlocal ok, e = pcall(f)\nio.write(tostring(e))\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, tc := range varNameCases {
		src := filepath.Join(dir, "case.lua")
		if err := os.WriteFile(src, []byte(tc.src), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(lua51, driver, src).CombinedOutput()
		if err != nil {
			t.Fatalf("case %d: lua5.1: %v: %s", i, err, out)
		}
		if string(out) != tc.lua51 {
			t.Errorf("%s: lua5.1 says %q, the case %q", tc.name, out, tc.lua51)
		}
	}
}
