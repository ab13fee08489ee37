package bindings_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/bindings"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// countDoctorOpens makes env's doctor count the databases it opens, by
// description.
func countDoctorOpens(env *bindings.Env) func() map[string]int {
	var mu sync.Mutex
	opens := map[string]int{}
	env.OpenDoctor = func(ctx context.Context, cfg store.Config) (*store.DoctorDB, error) {
		mu.Lock()
		opens[cfg.Describe()]++
		mu.Unlock()
		return store.OpenDoctor(ctx, cfg)
	}
	return func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[string]int{}
		for k, v := range opens {
			out[k] = v
		}
		return out
	}
}

// wantOnce checks that each database of the estate of dir (the two
// sources of twoSources and the target) was opened once.
func wantOnce(t *testing.T, opens map[string]int, dir, amer string) {
	t.Helper()
	want := map[string]int{
		"sqlite:" + filepath.Join(dir, "source-2015.db"):  1,
		"sqlite:" + filepath.Join(amer, "source-2015.db"): 1,
		"sqlite:" + filepath.Join(dir, "target-2019.db"):  1,
	}
	if len(opens) != len(want) {
		t.Errorf("the doctor opened %v, want each of %v once", opens, want)
	}
	for db, n := range opens {
		if want[db] != n {
			t.Errorf("the doctor opened %s %d times, want %d (all opens: %v)", db, n, want[db], opens)
		}
	}
}

// TestLuaDoctorOpensTheTargetOnce: the several-pools script's pre-flight
// (doctor.require of each source, then of the target sized by them) opens
// each database once: the target, whose collation every source's names
// line needs and which is then checked itself, is opened once for the run
// and closed with it, not once per source and again for its own check.
func TestLuaDoctorOpensTheTargetOnce(t *testing.T) {
	t.Parallel()
	t.Run("bundled script", func(t *testing.T) {
		t.Parallel()
		dir, amer := twoSources(t, "merge")
		env := newEnv(t, dir)
		opens := countDoctorOpens(env)
		run(t, env, "multipool.lua", true)
		closeEnv(t, env)
		wantOnce(t, opens(), dir, amer)
	})
	t.Run("what the shared target gives", func(t *testing.T) {
		t.Parallel()
		dir, amer := twoSources(t, "merge")
		env := newEnv(t, dir)
		opens := countDoctorOpens(env)
		const script = `
local doctor = require("doctor")
for _, pool in ipairs({ "emea", "amer", "target" }) do
  local opts = nil
  if pool == "target" then opts = { size_from = { "emea", "amer" } } end
  for _, c in ipairs(doctor.check(pool, opts).checks) do
    if c.check == "names" then print(pool .. " " .. c.check .. ": " .. c.status .. " " .. c.message) end
  end
end
`
		var out bytes.Buffer
		if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "doctor.lua", Source: []byte(script)},
			pcrt.Options{Modules: env.Modules(), Stdout: &out, Stderr: &out, Now: clock}); err != nil {
			t.Fatalf("the script failed: %v\n%s", err, out.String())
		}
		closeEnv(t, env)
		for _, pool := range []string{"emea", "amer"} {
			if !strings.Contains(out.String(), pool+" names: OK ") ||
				!strings.Contains(out.String(), "and as the target does, whose names compare as embedded (case-insensitive, accent-sensitive)") {
				t.Errorf("%s's names line does not name the target's collation:\n%s", pool, out.String())
			}
		}
		if !strings.Contains(out.String(), "target names: OK ") {
			t.Errorf("the target was not checked itself:\n%s", out.String())
		}
		wantOnce(t, opens(), dir, amer)
	})
}

// TestLuaDoctorReopensATargetItCouldNotOpen: the target kept for the run
// is one that was opened: a target that could not be opened (here, its
// file moved away) is not kept, and the next doctor call of the run opens
// it again and checks it once it is back.
func TestLuaDoctorReopensATargetItCouldNotOpen(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	env := newEnv(t, dir)
	opens := countDoctorOpens(env)
	target, moved := filepath.Join(dir, "target-2019.db"), filepath.Join(dir, "moved.db")
	if err := os.Rename(target, moved); err != nil {
		t.Fatal(err)
	}
	const script = `
local doctor = require("doctor")
local r = doctor.check("target")
print("FIRST " .. tostring(r.ok))
fixture.restore()
r = doctor.check("target")
print("SECOND " .. tostring(r.ok))
`
	var out bytes.Buffer
	restore := pcrt.Module{Name: "fixture", Loader: func(L *lua.LState) int {
		m := L.NewTable()
		L.SetField(m, "restore", L.NewFunction(func(L *lua.LState) int {
			if err := os.Rename(moved, target); err != nil {
				L.RaiseError("%v", err)
			}
			return 0
		}))
		L.Push(m)
		return 1
	}}
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "doctor.lua", Source: []byte("local fixture = require(\"fixture\")\n" + script)},
		pcrt.Options{Modules: append(env.Modules(), restore), Stdout: &out, Stderr: &out, Now: clock}); err != nil {
		t.Fatalf("the script failed: %v\n%s", err, out.String())
	}
	closeEnv(t, env)
	if !strings.Contains(out.String(), "FIRST false") || !strings.Contains(out.String(), "SECOND true") {
		t.Errorf("the doctor did not check the target again once it was back:\n%s", out.String())
	}
	if n := opens()["sqlite:"+target]; n != 2 {
		t.Errorf("the target was opened %d times, want 2 (once missing, once back)", n)
	}
}

// TestLuaDoctorTargetClosedWhenTheRunUsesTheTarget: the doctor's kept
// connection to the target is closed once the run opens the target's
// store, so the run does not hold two connections (and two page caches)
// to it from the pre-flight to its end. Counted as the process's open
// files on the target's database file (Linux).
func TestLuaDoctorTargetClosedWhenTheRunUsesTheTarget(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc/self/fd to count open files")
	}
	dir := newLab(t, smallLab(1))
	env := newEnv(t, dir)
	target := filepath.Join(dir, "target-2019.db")
	openFiles := func() int {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, fd := range fds {
			if p, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && p == target {
				n++
			}
		}
		return n
	}
	var counts []int
	fixture := pcrt.Module{Name: "fixture", Loader: func(L *lua.LState) int {
		m := L.NewTable()
		L.SetField(m, "count", L.NewFunction(func(L *lua.LState) int {
			counts = append(counts, openFiles())
			return 0
		}))
		L.Push(m)
		return 1
	}}
	const script = `
local fixture = require("fixture")
local doctor = require("doctor")
local category = require("category")
doctor.check("target")
fixture.count()
category.list("target")
fixture.count()
doctor.check("target")
fixture.count()
`
	var out bytes.Buffer
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "doctor.lua", Source: []byte(script)},
		pcrt.Options{Modules: append(env.Modules(), fixture), Stdout: &out, Stderr: &out, Now: clock}); err != nil {
		t.Fatalf("the script failed: %v\n%s", err, out.String())
	}
	closeEnv(t, env)
	if len(counts) != 3 || counts[0] != 1 || counts[1] != 1 || counts[2] != 1 {
		t.Errorf("open files on the target after the doctor, after category.list, after the doctor again = %v, want [1 1 1]: the doctor's connection outlived the run's own, or the doctor opened another beside it", counts)
	}
}
