package runtime

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestScriptErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want *ScriptError // compared without Err and Traceback
		text string       // want Error()
	}{
		{
			name: "syntax error",
			src:  "local a = 1\nlocal b = = 2\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindSyntax, Message: "syntax error: unexpected '=' (column 11)"},
			text: "migrate.lua:2: syntax error: unexpected '=' (column 11)",
		},
		{
			name: "syntax error at end of file",
			src:  "if x then\n  print(1)\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindSyntax, Message: "syntax error at end of file: expected 'else', 'elseif' or 'end'"},
			text: "migrate.lua:2: syntax error at end of file: expected 'else', 'elseif' or 'end'",
		},
		{
			name: "compile error",
			src:  "goto nowhere\n",
			want: &ScriptError{File: "migrate.lua", Line: 1, Kind: KindSyntax, Message: "no visible label for the goto at line 1"},
			text: "migrate.lua:1: no visible label for the goto at line 1",
		},
		{
			name: "runtime error",
			src:  "local pools = {}\n\nlocal n = pools.target.rooms\n",
			want: &ScriptError{File: "migrate.lua", Line: 3, Kind: KindScript, Message: "attempt to index field 'target' (a nil value) with key 'rooms'"},
			text: "migrate.lua:3: attempt to index field 'target' (a nil value) with key 'rooms'",
		},
		{
			name: "error without position",
			src:  "\nerror('stop here', 0)\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindScript, Message: "stop here"},
			text: "migrate.lua:2: stop here",
		},
		{
			name: "a table raised",
			src:  "local function fail()\n  error({ code = 7, message = 'no' })\nend\nfail()\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindScript, Message: "(error object is a table value)"},
			text: "migrate.lua:2: (error object is a table value)",
		},
		{
			name: "a table raised in a step",
			src:  "local function fail()\n  error({ code = 7 })\nend\nstep('s', fail)\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindScript, Message: "(error object is a table value)"},
			text: "migrate.lua:2: (error object is a table value)",
		},
		{
			name: "nil raised",
			src:  "\nerror()\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindScript, Message: "(error object is a nil value)"},
			text: "migrate.lua:2: (error object is a nil value)",
		},
		{
			name: "uncaught typed error",
			src:  "local t = require('testmod')\n\nt.fail('conflict', 'category \"Sales\" exists')\n",
			want: &ScriptError{File: "migrate.lua", Line: 3, Kind: KindConflict, Op: "testmod.fail", Message: `category "Sales" exists`},
			text: `migrate.lua:3: testmod.fail: conflict: category "Sales" exists`,
		},
		{
			name: "typed error raised again after pcall",
			src:  "local t = require('testmod')\nlocal ok, err = pcall(t.fail, 'validation', 'bad name')\nerror(err)\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindValidation, Op: "testmod.fail", Message: "bad name"},
			text: "migrate.lua:2: testmod.fail: validation: bad name",
		},
		{
			name: "script raises typed error",
			src:  "local pcmig = require('pcmig')\npcmig.raise('validation', '%d rooms too long', 3)\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindValidation, Message: "3 rooms too long"},
			text: "migrate.lua:2: validation: 3 rooms too long",
		},
		{
			name: "panic in wrapped Go function",
			src:  "\nrequire('testmod').panic()\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindInternal, Op: "testmod.panic", Message: "panic: assignment to entry in nil map"},
			text: "migrate.lua:2: testmod.panic: panic: assignment to entry in nil map",
		},
		{
			name: "panic in unwrapped Go function",
			src:  "\n\nrequire('testmod').raw_panic()\n",
			want: &ScriptError{File: "migrate.lua", Line: 3, Kind: KindInternal, Message: "panic: unwrapped failure"},
			text: "migrate.lua:3: panic: unwrapped failure",
		},
		{
			name: "panic in step",
			src:  "step('one', function()\n  require('testmod').raw_panic()\nend)\n",
			want: &ScriptError{File: "migrate.lua", Line: 2, Kind: KindInternal, Message: "panic: unwrapped failure"},
			text: "migrate.lua:2: panic: unwrapped failure",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSource(t, context.Background(), tc.src, "", Options{})
			se := asScriptError(t, r.err)
			if diff := cmp.Diff(tc.want, se, cmpopts.IgnoreFields(ScriptError{}, "Err", "Traceback")); diff != "" {
				t.Errorf("Run() error mismatch (-want +got):\n%s", diff)
			}
			if got := r.err.Error(); got != tc.text {
				t.Errorf("Error() = %q, want %q", got, tc.text)
			}
			if r.rep.Status != StatusFailed || r.rep.Error != tc.text {
				t.Errorf("report status, error = %q, %q; want %q, %q", r.rep.Status, r.rep.Error, StatusFailed, tc.text)
			}
		})
	}
}

func TestTypedErrorUnwrapsCause(t *testing.T) {
	r := runSource(t, context.Background(), "require('testmod').fail_cause()", "", Options{})
	if !errors.Is(r.err, fs.ErrNotExist) {
		t.Fatalf("Run() error = %v, want it to wrap fs.ErrNotExist", r.err)
	}
	if se := asScriptError(t, r.err); se.Op != "testmod.fail_cause" || se.Kind != KindIO {
		t.Errorf("op, kind = %q, %q; want testmod.fail_cause, io", se.Op, se.Kind)
	}
}

// TestTypedErrorInPcall checks what a script sees of a typed error.
func TestTypedErrorInPcall(t *testing.T) {
	src := `
local t = require('testmod')
local ok, err = pcall(t.fail, 'not_found', 'no room "x"')
assert(not ok)
print(type(err), err.kind, err.message, err.op, err.where, err.file, err.line, err.nope)
print(tostring(err))
print(getmetatable(err))
local ok2, err2 = pcall(function() error('plain') end)
print(type(err2), err2)
`
	r := runSource(t, context.Background(), src, "", Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := strings.Join([]string{
		"userdata\tnot_found\tno room \"x\"\ttestmod.fail\tmigrate.lua:3\tmigrate.lua\t3\tnil",
		`migrate.lua:3: testmod.fail: not_found: no room "x"`,
		"pcmig.error",
		"string\tmigrate.lua:8: plain",
		"",
	}, "\n")
	if diff := cmp.Diff(want, r.stdout); diff != "" {
		t.Errorf("script output mismatch (-want +got):\n%s", diff)
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{name: "module twice", opts: Options{Modules: []Module{testModule()}}, wantErr: `module "testmod" is registered twice`},
		{name: "module shadows builtin", opts: Options{Modules: []Module{{Name: "log", Loader: testModule().Loader}}}, wantErr: `module "log" is registered twice`},
		{name: "resume and fresh", opts: Options{Journal: "j.json", Resume: true, Fresh: true}, wantErr: "--resume and --fresh exclude each other"},
		{name: "resume without journal", opts: Options{Resume: true}, wantErr: "cannot resume without a journal file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Journal != "" {
				tc.opts.Journal = t.TempDir() + "/" + tc.opts.Journal
			}
			r := runSource(t, context.Background(), "print('ran')", "", tc.opts)
			if r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
				t.Fatalf("Run() error = %v, want one containing %q", r.err, tc.wantErr)
			}
			if r.stdout != "" {
				t.Errorf("the script ran: stdout %q", r.stdout)
			}
		})
	}
}

// TestRunErrorIsScriptError checks that a script error is returned as it is,
// not wrapped, when the journal and the lock are released without error.
func TestRunErrorIsScriptError(t *testing.T) {
	dir := t.TempDir()
	r := runSource(t, context.Background(), "error('x')", "", Options{Journal: dir + "/j.json", LockFile: dir + "/run.lock"})
	if _, ok := r.err.(*ScriptError); !ok {
		t.Errorf("Run() error has type %T, want *ScriptError", r.err)
	}
}
