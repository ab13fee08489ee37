package runtime

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

// optModule is a module whose run(pool, options) and send(options)
// take options, and whose other function takes none.
func optModule() Module {
	return Module{Name: "om", Loader: func(L *lua.LState) int {
		t := L.NewTable()
		SetFuncs(L, t, "om", map[string]lua.LGFunction{
			"run": func(*lua.LState) int { return 0 }, "send": func(*lua.LState) int { return 0 }, "plain": func(*lua.LState) int { return 0 },
		})
		L.Push(t)
		return 1
	}, Options: map[string]OptionTable{
		"run":  {Arg: 2, Keys: []string{"file", "level", "scope"}},
		"send": {Arg: 1, Keys: []string{"to"}},
	}}
}

func optionFindings(t *testing.T, src string) []string {
	t.Helper()
	err := Validate(Script{Name: "m.lua", Source: []byte(src)}, Options{Modules: []Module{optModule()}})
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

// TestOptionCheckFinds: constant keys of a table constructor written in
// the call that the function does not take, with line and column, worded
// as CheckOptions words them when the call runs: the operation is the
// module's function (om.run), however the script names the module (m) or
// calls the function (m:run).
func TestOptionCheckFinds(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"misspelt", "local m = require('om')\nm.run('p', { file = 'x', levl = 'All' })\n",
			[]string{"m.lua:2:26: om.run: argument: option levl is not known; did you mean level?"}},
		{"nothing near", "local m = require('om')\nm.run('p', { frobnicate = 1 })\n",
			[]string{"m.lua:2:14: om.run: argument: option frobnicate is not known (the options are: file, level, scope)"}},
		{"bracketed, on later lines", "local m = require('om')\nm.run('p', {\n  file = 'x',\n  ['scpoe'] = {},\n})\n",
			[]string{"m.lua:4:3: om.run: argument: option scpoe is not known; did you mean scope?"}},
		{"positional constants, not maybe-nil ones", "local m = require('om')\nlocal x\nm.run('p', { x, 'a.zip', { } })\n",
			[]string{"m.lua:3:17: om.run: argument: option #2 is a value without a name; the options are named (file, level, scope)",
				"m.lua:3:26: om.run: argument: option #3 is a value without a name; the options are named (file, level, scope)"}},
		{"number and boolean keys", "local m = require('om')\nm.run('p', { [1] = 'a', [true] = 1 })\n",
			[]string{"m.lua:2:14: om.run: argument: option #1 is a value without a name; the options are named (file, level, scope)",
				"m.lua:2:25: om.run: argument: a boolean key is not known; the options are named (file, level, scope)"}},
		{"nested keys are data; the column is the outer key's", "local m = require('om')\nm.run('p', { scope = { levl = 1 }, levl = 2 })\n",
			[]string{"m.lua:2:36: om.run: argument: option levl is not known; did you mean level?"}},
		{"after other arguments with commas inside", "local m = require('om')\nm.run(f(1, { levl = 1 }), { levl = 2 })\n",
			[]string{"m.lua:2:29: om.run: argument: option levl is not known; did you mean level?"}},
		{"after a function argument", "local m = require('om')\nm.run(function() local a, b = 1, { levl = 1 } if a then end return b end, { levl = 2 })\n",
			[]string{"m.lua:2:77: om.run: argument: option levl is not known; did you mean level?"}},
		{"twice on a line", "local m = require('om')\nm.send({ too = 1 }) m.send({ too = 2 })\n",
			[]string{"m.lua:2:10: om.send: argument: option too is not known; did you mean to?",
				"m.lua:2:30: om.send: argument: option too is not known; did you mean to?"}},
		{"a table argument without parentheses", "local m = require('om')\nm.send{ tO = 1 }\n",
			[]string{"m.lua:2:9: om.send: argument: option tO is not known; did you mean to?"}},
		{"method call: self is the first argument", "local m = require('om')\nm:run({ levle = 1 })\n",
			[]string{"m.lua:2:9: om.run: argument: option levle is not known; did you mean level?"}},
		{"require called directly", "require('om').send({ ot = 1 })\n",
			[]string{`m.lua:1:22: om.send: argument: option ot is not known; did you mean to?`}},
		{"parenthesised: no column", "local m = require('om');\n(m).send({ ot = 1 })\n",
			[]string{"m.lua:2: om.send: argument: option ot is not known; did you mean to?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, optionFindings(t, tc.src)); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOptionCheckLeavesAlone: keys that are not constants of a table
// written in the call, and calls the name check leaves alone, are left to
// the check when the function runs.
func TestOptionCheckLeavesAlone(t *testing.T) {
	for _, src := range []string{
		"m.run('p', { file = 'x', level = 'All', scope = {} })",
		"m.run('p')",
		"m.run('p', nil)",
		"local o = { levl = 1 }\nm.run('p', o)",
		"local k = 'levl'\nm.run('p', { [k] = 1 })",
		"m.run('p', { levl = nil })",
		"local x\nm.run('p', { x, f() })",
		"m.plain('p', { levl = 1 })",
		"m.run({ levl = 1 })",
		"m.send('x', { ot = 1 })",
		"function m.run() end\nm.run('p', { levl = 1 })",
		"m = { run = print }\nm.run('p', { levl = 1 })",
		"local t = { m }\nm.run('p', { levl = 1 })",
		"if m.runn then m.runn('p', { levl = 1 }) end",
	} {
		src = "local m = require('om')\n" + src + "\n"
		if got := optionFindings(t, src); got != nil {
			t.Errorf("%q: findings:\n%s", src, strings.Join(got, "\n"))
		}
	}
}
