// Package luatest runs Lua test files as Go tests, in the manner of
// gopher-lua-libs: every global function of the file whose name starts
// with "Test" runs as a subtest, in a fresh sandboxed state of
// [pcrt.Run], with the module "expect" preloaded:
//
//	local expect = require("expect")
//
//	function TestCreate()
//	  local cat = category.create("Sales")
//	  expect.eq(cat.name, "Sales", "name")
//	  local err = expect.error(function() category.create("Sales") end, "conflict")
//	  expect.eq(err.op, "category.create")
//	end
//
// A test fails at its first failed expectation or error, and the failure
// names the file and line. The file must not end with a return statement.
//
// expect provides:
//
//	expect.eq(got, want [, msg])   tables are compared deeply
//	expect.ne(got, other [, msg])
//	expect.ok(value [, msg])       value is neither nil nor false
//	expect.error(fn [, kind [, text]]) -> err
//	    fn must raise; with kind, a typed error of that kind (err.kind);
//	    with text, one whose message contains text. Returns the error.
package luatest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// ModuleName is the name scripts require the assertions by.
const ModuleName = "expect"

// Run runs each Test* function of the Lua file at path as a subtest of t.
// setup, if not nil, returns the options of each test's run (modules,
// dry run, ...); it is called once per test so each gets fresh modules.
// Output goes to the test log when a test fails.
func Run(t *testing.T, path string, setup func(t *testing.T) pcrt.Options) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names, err := TestNames(path, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("%s defines no global Test* function", path)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var opts pcrt.Options
			if setup != nil {
				opts = setup(t)
			}
			out, err := RunTest(t.Context(), path, src, name, opts)
			if err != nil {
				t.Errorf("%v\noutput:\n%s", err, out)
			}
		})
	}
}

// TestNames returns the global functions named Test* that the file
// defines at its top level, in order.
func TestNames(path string, src []byte) ([]string, error) {
	if err := pcrt.Compile(path, src); err != nil {
		return nil, err
	}
	chunk, err := parse.Parse(bytes.NewReader(src), path)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range chunk {
		switch s := s.(type) {
		case *ast.FuncDefStmt:
			if id, ok := s.Name.Func.(*ast.IdentExpr); ok && s.Name.Receiver == nil && strings.HasPrefix(id.Value, "Test") {
				names = append(names, id.Value)
			}
		case *ast.AssignStmt:
			for i, lhs := range s.Lhs {
				id, ok := lhs.(*ast.IdentExpr)
				if !ok || !strings.HasPrefix(id.Value, "Test") || i >= len(s.Rhs) {
					continue
				}
				if _, ok := s.Rhs[i].(*ast.FunctionExpr); ok {
					names = append(names, id.Value)
				}
			}
		}
	}
	return names, nil
}

// RunTest runs the file's chunk and then its global function fn in one
// fresh run, with the expect module added to opts.Modules. It returns the
// run's output (stdout and stderr, interleaved) and its error. Unset
// writers in opts are replaced; the script folder is the file's folder.
func RunTest(ctx context.Context, path string, src []byte, fn string, opts pcrt.Options) (string, error) {
	var out bytes.Buffer
	if opts.Stdout == nil {
		opts.Stdout = &out
	}
	if opts.Stderr == nil {
		opts.Stderr = &out
	}
	opts.Modules = append(append([]pcrt.Module(nil), opts.Modules...), pcrt.Module{Name: ModuleName, Loader: loader})
	script := pcrt.Script{
		Name: path,
		// The call goes after the last line, so line numbers stay true.
		Source: append(append(append([]byte(nil), src...), "\n"...), fn+"()\n"...),
		Dir:    filepath.Dir(path),
	}
	_, err := pcrt.Run(ctx, script, opts)
	return out.String(), err
}

func loader(L *lua.LState) int {
	t := L.NewTable()
	L.SetFuncs(t, map[string]lua.LGFunction{
		"eq":    expectEq,
		"ne":    expectNe,
		"ok":    expectOK,
		"error": expectError,
	})
	L.Push(t)
	return 1
}

func message(L *lua.LState, n int) string {
	if s := L.OptString(n, ""); s != "" {
		return ": " + s
	}
	return ""
}

func expectEq(L *lua.LState) int {
	got, want := L.CheckAny(1), L.CheckAny(2)
	if !equal(got, want, 0) {
		L.RaiseError("expect.eq%s: got %s, want %s", message(L, 3), repr(L, got, 0), repr(L, want, 0))
	}
	return 0
}

func expectNe(L *lua.LState) int {
	got, other := L.CheckAny(1), L.CheckAny(2)
	if equal(got, other, 0) {
		L.RaiseError("expect.ne%s: got %s, want anything else", message(L, 3), repr(L, got, 0))
	}
	return 0
}

func expectOK(L *lua.LState) int {
	if !lua.LVAsBool(L.Get(1)) {
		L.RaiseError("expect.ok%s: got %s", message(L, 2), repr(L, L.Get(1), 0))
	}
	return 0
}

func expectError(L *lua.LState) int {
	fn := L.CheckFunction(1)
	kind, text := L.OptString(2, ""), L.OptString(3, "")
	L.Push(fn)
	err := L.PCall(0, 0, nil)
	if err == nil {
		L.RaiseError("expect.error: the function raised no error")
	}
	ae, ok := err.(*lua.ApiError)
	if !ok {
		L.RaiseError("expect.error: %v", err)
	}
	se, typed := pcrt.AsScriptError(ae.Object)
	msg := L.ToStringMeta(ae.Object).String()
	switch {
	case kind != "" && !typed:
		L.RaiseError("expect.error: want a %q error, got an untyped one: %s", kind, msg)
	case kind != "" && se.Kind != kind:
		L.RaiseError("expect.error: want a %q error, got %q: %s", kind, se.Kind, msg)
	case text != "" && !strings.Contains(msg, text):
		L.RaiseError("expect.error: want an error containing %q, got: %s", text, msg)
	}
	L.Push(ae.Object)
	return 1
}

const maxDepth = 20

func equal(a, b lua.LValue, depth int) bool {
	ta, ok1 := a.(*lua.LTable)
	tb, ok2 := b.(*lua.LTable)
	if !ok1 || !ok2 || ta == tb || depth > maxDepth {
		return a == b || (ok1 && ok2 && ta == tb)
	}
	same := true
	ta.ForEach(func(k, v lua.LValue) {
		if same && !equal(v, tb.RawGet(k), depth+1) {
			same = false
		}
	})
	tb.ForEach(func(k, _ lua.LValue) {
		if same && ta.RawGet(k) == lua.LNil {
			same = false
		}
	})
	return same
}

// repr shows a value for a failure message; strings are quoted and tables
// listed (not sorted: small test tables read fine in insertion order).
func repr(L *lua.LState, v lua.LValue, depth int) string {
	switch v := v.(type) {
	case lua.LString:
		return fmt.Sprintf("%q", string(v))
	case *lua.LTable:
		if depth > 2 {
			return "{...}"
		}
		var parts []string
		v.ForEach(func(k, val lua.LValue) {
			parts = append(parts, fmt.Sprintf("[%s]=%s", repr(L, k, depth+1), repr(L, val, depth+1)))
		})
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return L.ToStringMeta(v).String()
	}
}
