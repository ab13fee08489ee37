package runtime

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestCheckOptions: the keys a table takes pass; any other key is refused
// with a typed argument error that names the operation, the key (when it
// is a name) and the nearest known key; a table with a metatable is
// refused whatever it holds.
func TestCheckOptions(t *testing.T) {
	ot := OptionTable{Arg: 2, Keys: []string{"file", "level", "on_conflict"}}
	const plain = " must be a plain table, without a metatable (pcmig reads only the keys the table holds itself)"
	tests := []struct{ name, table, want string }{
		{"every known key", `{ file = "a", level = "All", on_conflict = "skip" }`, ""},
		{"empty", `{}`, ""},
		{"not a table", `"x"`, ""},
		{"misspelt", `{ file = "a", levl = "All" }`, "t.run: argument: option levl is not known; did you mean level?"},
		{"case", `{ Level = "All" }`, "t.run: argument: option Level is not known; did you mean level?"},
		{"nothing near", `{ frobnicate = 1 }`, "t.run: argument: option frobnicate is not known (the options are: file, level, on_conflict)"},
		{"first in order", `{ zzz = 1, onconflict = 1 }`, "t.run: argument: option onconflict is not known; did you mean on_conflict?"},
		{"positional", `{ "a.zip", levl = 1 }`, "t.run: argument: option #1 is a value without a name; the options are named (file, level, on_conflict)"},
		{"a number key", `{ [2.5] = 1 }`, "t.run: argument: a number key is not known; the options are named (file, level, on_conflict)"},
		{"a boolean key", `{ [true] = 1 }`, "t.run: argument: a boolean key is not known; the options are named (file, level, on_conflict)"},
		{"not a name: not shown", `{ ["secret text"] = 1 }`, "t.run: argument: a key that is not a name is not known (the options are: file, level, on_conflict)"},
		{"a metatable", `setmetatable({ file = "a" }, { __index = { levl = "All" } })`, "t.run: argument: options" + plain},
		{"a hidden metatable", `setmetatable({}, { __metatable = false, __index = { level = "All" } })`, "t.run: argument: options" + plain},
		{"an empty metatable", `setmetatable({}, {})`, "t.run: argument: options" + plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			L := lua.NewState()
			defer L.Close()
			L.SetGlobal("run", L.NewFunction(func(L *lua.LState) int {
				CheckOptions(L, "t.run", ot)
				return 0
			}))
			err := L.DoString(`local ok, err = pcall(run, "pool", ` + tt.table + `)
if not ok then msg = err.op .. ": " .. err.kind .. ": " .. err.message end`)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s, ok := L.GetGlobal("msg").(lua.LString); ok {
				got = string(s)
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
