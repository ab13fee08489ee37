package runtime

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCompile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want *ScriptError
	}{
		{name: "valid", src: "local x = 1\nprint(x)\n"},
		{name: "syntax error", src: "\n\nlocal = 3\n", want: &ScriptError{File: "m.lua", Line: 3, Kind: KindSyntax, Message: "syntax error: unexpected '='; expected 'function' or a name (column 7)"}},
		{name: "unclosed block", src: "while true do\n", want: &ScriptError{File: "m.lua", Line: 1, Kind: KindSyntax, Message: "syntax error at end of file: expected 'end'"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Compile("m.lua", []byte(tc.src))
			var got *ScriptError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("Compile() error %v is not a *ScriptError", err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(ScriptError{}, "Err")); diff != "" {
				t.Errorf("Compile() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"lib/ok.lua":     "local log = require('log')\nreturn {}\n",
		"lib/bad.lua":    "return {\n",
		"lib/deeper.lua": "local x = require('lib.nothere')\nreturn x\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{
		Modules:   []Module{testModule()},
		BundledFS: fstest.MapFS{"common.lua": {Data: []byte("return require('testmod')\n")}},
	}
	libPath := func(name string) string { return filepath.Join(dir, "lib", name) }
	tests := []struct {
		name string
		src  string
		want []string // error texts, in order
	}{
		{
			name: "all modules found",
			src:  "local t = require('testmod')\nlocal c = require 'common'\nlocal ok = require('lib.ok')\nlocal s = require('string')\nif x then require('pcmig') end\nlocal name = 'dyn'\nrequire(name)\n",
		},
		{
			name: "missing module",
			src:  "local a = require('testmod')\n\nlocal b = require('import')\n",
			want: []string{"m.lua:3: require: not_found: module \"import\" not found: no Go module of that name; no bundled file 'import.lua'; no file '" + filepath.Join(dir, "import.lua") + "'"},
		},
		{
			name: "missing module in a function",
			src:  "local function f()\n  return require('lib.gone')\nend\n",
			want: []string{"m.lua:2: require: not_found: module \"lib.gone\" not found"},
		},
		{
			name: "errors in required files",
			src:  "require('lib.bad')\nrequire('lib.deeper')\n",
			want: []string{libPath("bad.lua") + ":1: syntax error at end of file", libPath("deeper.lua") + ":1: require: not_found: module \"lib.nothere\""},
		},
		{
			name: "invalid name",
			src:  "require('../escape')\n",
			want: []string{"m.lua:1: require: argument: invalid module name \"../escape\""},
		},
		{
			name: "syntax error",
			src:  "require('testmod')\nfunction (\n",
			want: []string{"m.lua:2: syntax error: unexpected '('; expected a name (column 10)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(Script{Name: "m.lua", Source: []byte(tc.src), Dir: dir}, opts)
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Validate() error = %v, want %d problems: %q", err, len(tc.want), tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}
