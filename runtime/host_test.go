package runtime

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

// TestHostInCoroutine checks that modules reach the host, the plan and the
// run's context from a coroutine, and that typed errors cross resume.
func TestHostInCoroutine(t *testing.T) {
	var seen []string
	probe := Module{Name: "probe", Loader: func(L *lua.LState) int {
		t := L.NewTable()
		SetFuncs(L, t, "probe", map[string]lua.LGFunction{
			"look": func(L *lua.LState) int {
				h := HostFrom(L)
				seen = append(seen, h.Step()+"|"+h.Op()+"|"+boolText(L.Context() != nil && h.Context() != nil))
				return 0
			},
		})
		L.Push(t)
		return 1
	}}
	src := `local t = require('testmod')
local probe = require('probe')
step('co', function()
  local co = coroutine.wrap(function() probe.look() t.write('from coroutine') coroutine.yield() end)
  co()
  local ok, err = coroutine.resume(coroutine.create(function() t.fail('conflict', 'in coroutine') end))
  print(ok, err.kind, err.op, err.line)
end)
probe.look()
`
	r := runSource(t, context.Background(), src, "", Options{Modules: []Module{probe}, DryRun: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if diff := cmp.Diff([]string{"co|probe.look|true", "|probe.look|true"}, seen); diff != "" {
		t.Errorf("host seen by the module mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Action{{Step: "co", Module: "testmod", Op: "write", Target: "from coroutine"}}, r.rep.Plan.Actions()); diff != "" {
		t.Errorf("plan mismatch (-want +got):\n%s", diff)
	}
	if want := "== Step 1: co ==\nfalse\tconflict\ttestmod.fail\t6\n"; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stdout = %q, want it to start with %q", r.stdout, want)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestHostFromForeignState(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	if h := HostFrom(L); h != nil {
		t.Errorf("HostFrom(foreign state) = %v, want nil", h)
	}
}
