//go:build soak

package runtime

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// plainFailures are the files of suiteFiles that the carried gopher-lua
// fails when it runs them unchanged with all its libraries and default
// options, and why; every other file passes.
var plainFailures = map[string]string{
	"errors":  gluaSyntaxMessages + "; " + gluaEmptyStatements + "; " + gluaCallMessage + " ...",
	"nextvar": gluaForeach,
}

// TestLua51SuitePlain runs the files of the Lua 5.1 suite unchanged in a
// plain gopher-lua state, for comparison with TestLua51Suite (the sandbox):
//
//	go test -tags soak ./runtime -run TestLua51SuitePlain -v
func TestLua51SuitePlain(t *testing.T) {
	dir := suiteDir(t)
	passed := 0
	t.Cleanup(func() { t.Logf("plain gopher-lua: %d of %d files pass", passed, len(suiteFiles)) })
	for _, f := range suiteFiles {
		t.Run(f.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, f.name+".lua"))
			if err != nil {
				t.Fatal(err)
			}
			L := lua.NewState()
			defer L.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			L.SetContext(ctx)
			L.SetGlobal("print", L.NewFunction(func(*lua.LState) int { return 0 }))
			// math.lua requires checktable.lua from the suite's folder.
			L.SetField(L.GetGlobal("package"), "path", lua.LString(filepath.Join(dir, "?.lua")))
			fn, err := L.Load(bytes.NewReader(data), f.name+".lua")
			if err == nil {
				L.Push(fn)
				err = L.PCall(0, lua.MultRet, nil)
			}
			why, expected := plainFailures[f.name]
			switch {
			case err == nil && expected:
				t.Errorf("%s.lua passes in plain gopher-lua; plainFailures says it fails (%s)", f.name, why)
			case err == nil:
				passed++
			case !expected:
				t.Errorf("%s.lua in plain gopher-lua: %v", f.name, err)
			default:
				t.Logf("%s.lua fails in plain gopher-lua, as expected (%s): %v", f.name, why, err)
			}
		})
	}
}
