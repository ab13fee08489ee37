package bindings_test

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/bindings"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestOptionTablesAreSound: every function optionTables names exists, its
// options argument is one it has, and no key is listed twice; each
// module's pcrt.Module.Options are its functions' tables, which validate
// uses.
func TestOptionTablesAreSound(t *testing.T) {
	t.Parallel()
	funcs := luaFunctions(t)
	tables := bindings.OptionTables()
	if len(tables) < 16 {
		t.Fatalf("only %d option tables: %v", len(tables), slices.Sorted(maps.Keys(tables)))
	}
	for name, ot := range tables {
		listed := strings.Replace(strings.Replace(name, "topology:", "doc:", 1), "user:", "dir:", 1)
		if !slices.Contains(funcs, listed) {
			t.Errorf("optionTables names %s, which no module has", name)
		}
		if ot.Arg < 2 || ot.Arg > 4 {
			t.Errorf("%s: options are argument %d", name, ot.Arg)
		}
		if len(ot.Keys) == 0 || len(slices.Compact(slices.Sorted(slices.Values(ot.Keys)))) != len(ot.Keys) {
			t.Errorf("%s: keys %v: empty or repeated", name, ot.Keys)
		}
	}
	env := newEnv(t, newLab(t, smallLab(1)))
	for _, m := range env.Modules() {
		for fn, ot := range m.Options {
			if got := tables[m.Name+"."+fn]; !slices.Equal(got.Keys, ot.Keys) || got.Arg != ot.Arg {
				t.Errorf("Module %s: Options[%s] = %+v, optionTables has %+v", m.Name, fn, ot, got)
			}
		}
		for name := range tables {
			if fn, ok := strings.CutPrefix(name, m.Name+"."); ok && m.Options[fn].Keys == nil {
				t.Errorf("Module %s: Options lacks %s", m.Name, fn)
			}
		}
	}
}

// TestEveryOptionTableRefusesUnknownKeys calls every function that takes
// options with a misspelt key, and with a value without a name, and every
// other argument wrong ("nowhere" for pools, categories and sites): the
// typed argument error about the key must come first, before the function
// resolves a pool or does anything else, and nothing is planned.
func TestEveryOptionTableRefusesUnknownKeys(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	env := newEnv(t, dir)
	var src strings.Builder
	src.WriteString(`local doc, dir = require("topology").load(), require("user").load()
local function try(name, f)
  local ok, err = pcall(f)
  if ok then print(name .. " | no error")
  elseif type(err) ~= "userdata" then print(name .. " | untyped: " .. tostring(err))
  else print(name .. " | " .. err.kind .. " | " .. err.op .. " | " .. err.message) end
end
`)
	var want []string
	tables := bindings.OptionTables()
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		ot := tables[name]
		module, fn, method := strings.Cut(name, ":")
		if !method {
			module, fn, _ = strings.Cut(name, ".")
		}
		for _, c := range []struct{ table, msg string }{
			{"{ " + ot.Keys[0] + "x = true }", "option " + ot.Keys[0] + "x is not known; did you mean " + ot.Keys[0] + "?"},
			{"{ true }", "option #1 is a value without a name; the options are named (" + strings.Join(ot.Keys, ", ") + ")"},
		} {
			args := make([]string, ot.Arg)
			for i := range args {
				args[i] = `"nowhere"`
			}
			args[ot.Arg-1] = "o" // by name: a table constructor in the call would stop validate before the run
			call := fmt.Sprintf("require(%q).%s(%s)", module, fn, strings.Join(args, ", "))
			if method {
				self := map[string]string{"topology": "doc", "user": "dir"}[module]
				call = fmt.Sprintf("%s:%s(%s)", self, fn, strings.Join(args[1:], ", "))
			}
			fmt.Fprintf(&src, "try(%q, function() local o = %s; %s end)\n", name, c.table, call)
			want = append(want, name+" | argument | "+module+"."+fn+" | "+c.msg)
		}
	}
	src.WriteString("print(#require('fixture').plan() .. ' actions')\n")
	want = append(want, "0 actions")
	var out bytes.Buffer
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "keys.lua", Source: []byte(src.String())},
		pcrt.Options{Modules: append(env.Modules(), fixtureModule(dir, env)), Stdout: &out, Now: clock}); err != nil {
		t.Fatalf("%v\n%s", err, src.String())
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
