package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

// apiModules are the modules the field check tests use: testmod (fail,
// fail_cause, panic, block, ...), a data module and one whose loader
// raises without a host.
func apiModules() []Module {
	return []Module{
		testModule(),
		{Name: "settings", Data: true, Loader: func(L *lua.LState) int {
			t := L.NewTable()
			L.SetField(t, "pool", lua.LString("p"))
			L.Push(t)
			return 1
		}},
		{Name: "hosted", Loader: func(L *lua.LState) int {
			if HostFrom(L) == nil {
				L.RaiseError("no host")
			}
			L.Push(L.NewTable())
			return 1
		}},
	}
}

func fieldProblems(t *testing.T, src string, files map[string]string) []string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{Modules: apiModules(), BundledFS: fstest.MapFS{"bundled.lua": {Data: []byte("local t = require('testmod')\nt.bundled_typo()\nreturn true\n")}}}
	err := Validate(Script{Name: "m.lua", Source: []byte(src), Dir: dir}, opts)
	if err == nil {
		return nil
	}
	return strings.Split(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), "\n")
}

func TestFieldCheckFinds(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"call", "local t = require('testmod')\nt.fial('x', 'y')\n",
			[]string{"m.lua:2:1: not_found: t.fial: the testmod module has no function fial; did you mean fail?"}},
		{"method", "local t = require 'testmod'\n  t:pnaic()\n",
			[]string{"m.lua:2:3: not_found: t:pnaic: the testmod module has no function pnaic; did you mean panic?"}},
		{"read, nothing near", "local t = require('testmod')\nlocal f = t.frobnicate\n",
			[]string{"m.lua:2:11: not_found: t.frobnicate: the testmod module has no field frobnicate (it has: block, fail, fail_cause, panic, raw_panic, warn, write)"}},
		{"constant index", "local t = require('testmod')\nt['blokc']()\n",
			[]string{"m.lua:2:1: not_found: t.blokc: the testmod module has no function blokc; did you mean block?"}},
		{"upvalue in a nested function", "local t = require('testmod')\nlocal function f()\n  return function() return t.wirte() end\nend\n",
			[]string{"m.lua:3:28: not_found: t.wirte: the testmod module has no function wirte; did you mean write?"}},
		{"built-in modules", "local log, pcmig = require('log'), require('pcmig')\nlog.infoo('x')\nprint(pcmig.dry_runn)\n",
			[]string{"m.lua:2:1: not_found: log.infoo: the log module has no function infoo; did you mean info?",
				"m.lua:3:7: not_found: pcmig.dry_runn: the pcmig module has no field dry_runn; did you mean dry_run?"}},
		{"require called directly", "require('testmod').fail_cuase()\n",
			[]string{`m.lua:1:1: not_found: require("testmod").fail_cuase: the testmod module has no function fail_cuase; did you mean fail_cause?`}},
		{"column in characters", "local t = require('testmod') print('ééé') t.fial()\n",
			[]string{"m.lua:1:43: not_found: t.fial: the testmod module has no function fial; did you mean fail?"}},
		{"twice on a line, in order", "local t = require('testmod')\nt.a(t.b)\n",
			[]string{"m.lua:2:1: not_found: t.a: the testmod module has no function a (it has: block, fail, fail_cause, panic, raw_panic, warn, write)",
				"m.lua:2:5: not_found: t.b: the testmod module has no field b (it has: block, fail, fail_cause, panic, raw_panic, warn, write)"}},
		{"parenthesised: no column", "local t = require('testmod');\n(t).fial()\n",
			[]string{"m.lua:2: not_found: t.fial: the testmod module has no function fial; did you mean fail?"}},
		{"shadowed by a later local only", "local t = require('testmod')\nt.fial()\nlocal t = {}\nt.fial()\n",
			[]string{"m.lua:2:1: not_found: t.fial: the testmod module has no function fial; did you mean fail?"}},
		{"until sees the body", "local t = {}\nrepeat local t = require('testmod') until t.blcok()\n",
			[]string{"m.lua:2:43: not_found: t.blcok: the testmod module has no function blcok; did you mean block?"}},
		{"in a local module and a bundled one", "require('mine')\nrequire('bundled')\n",
			[]string{"mine.lua:1:11: not_found: require(\"testmod\").nope: the testmod module has no field nope (it has: block, fail, fail_cause, panic, raw_panic, warn, write)",
				"bundled:bundled.lua:2:1: not_found: t.bundled_typo: the testmod module has no function bundled_typo (it has: block, fail, fail_cause, panic, raw_panic, warn, write)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := fieldProblems(t, tc.src, map[string]string{"mine.lua": "return 1, require('testmod').nope\n"})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFieldCheckLeavesAlone: what cannot be known for certain is not
// reported. Each script starts by misspelling log.info, which must be reported:
// the check ran, and left alone only what it had to.
func TestFieldCheckLeavesAlone(t *testing.T) {
	tests := []struct{ name, src string }{
		{"dynamic key", "local t = require('testmod')\nlocal k = 'x'\nt[k]()\n"},
		{"reassigned", "local t = require('testmod')\nt.nope()\nt = { nope = print }\n"},
		{"reassigned in a closure", "local t = require('testmod')\nlocal function f() t = {} end\nt.nope()\n"},
		{"parameter shadows", "local t = require('testmod')\nlocal function f(t) return t.nope end\n"},
		{"loop variable shadows", "local t = require('testmod')\nfor _, t in ipairs({}) do t.nope() end\nfor t = 1, 2 do print(t.x) end\n"},
		{"local function shadows", "local t = require('testmod')\nlocal function t() return t.nope end\n"},
		{"global of the same name", "t = require('testmod')\nt.nope()\n"},
		{"own module", "local m = require('mine')\nm.anything()\n"},
		{"a data module", "local s = require('settings')\nprint(s.anything)\n"},
		{"a loader that needs a host", "local h = require('hosted')\nh.anything()\n"},
		{"a standard library", "local s = require('string')\nprint(s.nope)\n"},
		{"returned table", "local t = require('testmod')\nlocal r = t.fail\nprint(r.nope)\n"},
		{"fields the script adds", "local t = require('testmod')\nfunction t.mine() end\nfunction t:other() end\nt.third = 1\nt.mine() t:other() print(t.third)\n"},
		{"fields another file adds", "require('adds')\nlocal t = require('testmod')\nt.from_adds()\n"},
		{"handed to a function", "local t = require('testmod')\nsetmetatable(t, {})\nt.nope()\n"},
		{"stored in a table", "local t = require('testmod')\nlocal x = { t }\nt.nope()\n"},
		{"returned", "local t = require('testmod')\nt.nope()\nreturn t\n"},
		{"required as a value", "local x = { require('testmod') }\nlocal t = require('testmod')\nt.nope()\n"},
		{"require shadowed", "local function require(n) return {} end\nlocal t = require('testmod')\nt.nope()\n"},
		{"dynamic key written", "local t = require('testmod')\nlocal k = 'nope'\nt[k] = print\nt.nope()\n"},
		{"tested", "local t = require('testmod')\nif t.nope then t.nope() end\nlocal f = t.other or print\nassert(type(t.third) == 'nil')\nprint(not t.fourth, t.fifth == nil)\nt.other() t.third() t.fourth() t.fifth()\n"},
	}
	files := map[string]string{
		"mine.lua": "return {}\n",
		"adds.lua": "local t = require('testmod')\nfunction t.from_adds() end\nreturn true\n",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "require('log').infoo('control')\n" + tc.src
			want := []string{`m.lua:1:1: not_found: require("log").infoo: the log module has no function infoo; did you mean info?`}
			if diff := cmp.Diff(want, fieldProblems(t, src, files)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFieldCheckTurnsOff: where a script can change what require returns
// or what a module table holds without the walk seeing it, nothing is
// reported.
func TestFieldCheckTurnsOff(t *testing.T) {
	const base = "local t = require('testmod')\nt.nope()\n"
	if got := fieldProblems(t, base, nil); len(got) != 1 {
		t.Fatalf("the script without the escape: problems %q, want t.nope", got)
	}
	for _, more := range []string{
		"require = function() return {} end\n",
		"function require() end\n",
		"local ok, m = pcall(require, 'mine')\n",
		"local n = 'mine'\nrequire(n)\n",
		"package.loaded.testmod = nil\n",
		"local g = _G\n",
		"loadstring('x = 1')()\n",
		"load(function() end)\n",
		"setfenv(1, {})\n",
		"print(getfenv(1))\n",
		"module('x')\n",
	} {
		if got := fieldProblems(t, base+more, map[string]string{"mine.lua": "return {}\n"}); got != nil {
			t.Errorf("with %q: problems reported:\n%s", more, strings.Join(got, "\n"))
		}
	}
}

// A module that cannot be read leaves the names unchecked: it could add
// any name to a module table.
func TestFieldCheckNeedsEveryFile(t *testing.T) {
	got := fieldProblems(t, "local t = require('testmod')\nt.nope()\nrequire('gone')\n", nil)
	if len(got) != 1 || !strings.Contains(got[0], `module "gone" not found`) {
		t.Errorf("problems = %q, want only the missing module", got)
	}
}
