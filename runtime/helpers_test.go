package runtime

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// fixedClock returns a clock that starts at a fixed time and advances one
// second per call, so reports and journals are reproducible.
func fixedClock() func() time.Time {
	t := time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// testModule is a Go module for the tests, registered as "testmod".
func testModule() Module {
	return Module{Name: "testmod", Loader: func(L *lua.LState) int {
		t := L.NewTable()
		SetFuncs(L, t, "testmod", map[string]lua.LGFunction{
			"fail": func(L *lua.LState) int {
				RaiseError(L, L.CheckString(1), "%s", L.CheckString(2))
				return 0
			},
			"fail_cause": func(L *lua.LState) int {
				Raise(L, &ScriptError{Kind: KindIO, Message: "read archive", Err: fs.ErrNotExist})
				return 0
			},
			"panic": func(L *lua.LState) int {
				var m map[string]int
				m["x"] = 1 // nil map: a Go runtime panic
				return 0
			},
			"block": func(L *lua.LState) int {
				ctx := L.Context()
				select {
				case <-ctx.Done():
					Raise(L, &ScriptError{Kind: KindDatabase, Message: "query interrupted", Err: ctx.Err()})
				case <-time.After(10 * time.Second):
				}
				return 0
			},
			"write": func(L *lua.LState) int {
				h := HostFrom(L)
				h.Plan.Add(Action{Module: "testmod", Op: "write", Target: L.CheckString(1), Count: int64(L.OptInt(2, 0))})
				return 0
			},
			"warn": func(L *lua.LState) int {
				HostFrom(L).Warnf("%s", L.CheckString(1))
				return 0
			},
		})
		L.SetField(t, "raw_panic", L.NewFunction(func(L *lua.LState) int {
			panic("unwrapped failure")
		}))
		L.Push(t)
		return 1
	}}
}

type runResult struct {
	rep    *Report
	stdout string
	stderr string
	err    error
}

// runSource runs src as migrate.lua in dir with the test module added.
func runSource(t *testing.T, ctx context.Context, src, dir string, opts Options) runResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	opts.Stdout, opts.Stderr = &stdout, &stderr
	opts.Modules = append(opts.Modules, testModule())
	if opts.Now == nil {
		opts.Now = fixedClock()
	}
	rep, err := Run(ctx, Script{Name: "migrate.lua", Source: []byte(src), Dir: dir}, opts)
	if rep == nil {
		t.Fatalf("Run returned a nil report (err %v)", err)
	}
	return runResult{rep: rep, stdout: stdout.String(), stderr: stderr.String(), err: err}
}

func asScriptError(t *testing.T, err error) *ScriptError {
	t.Helper()
	var se *ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *ScriptError", err, err)
	}
	return se
}
