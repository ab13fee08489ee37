package bindings_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/runtime/luatest"
	"github.com/pcmig/pcmig/store"
)

// smallLab is quick to write and still has every kind of object: groups,
// denied members, disabled and deleted users, auditoriums, add-ins.
func smallLab(seed int64) lab.Options {
	return lab.Options{Users: 24, Categories: 6, Rooms: 12, Messages: 500, Seed: seed}
}

// clock is the time the modules see; fixed so that ticks and plans repeat.
func clock() time.Time { return time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC) }

// newLab writes a lab estate into a new temporary folder.
func newLab(t testing.TB, opts lab.Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "estate")
	if _, err := lab.Init(context.Background(), dir, opts); err != nil {
		t.Fatalf("lab.Init: %v", err)
	}
	return dir
}

// copyDir copies the regular files and folders of src into a new
// temporary folder and returns it.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "estate")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// copyFile copies the file src to dst.
func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// editEstate replaces old with new in the estate file of dir; old must occur.
func editEstate(t testing.TB, dir, old, new string) {
	t.Helper()
	path := filepath.Join(dir, lab.EstateFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// makeReal turns a lab estate into a real one (kind = "real"), keeping its
// embedded databases: topology and user changes then go to the runbook.
func makeReal(t testing.TB, dir string) { editEstate(t, dir, `kind = "lab"`, `kind = "real"`) }

// newEnv loads the estate of dir into an Env that is closed with the test.
func newEnv(t testing.TB, dir string) *bindings.Env {
	t.Helper()
	est, err := estate.Load(context.Background(), filepath.Join(dir, lab.EstateFile))
	if err != nil {
		t.Fatalf("estate.Load: %v", err)
	}
	env := &bindings.Env{Estate: est, ToolVersion: "test", Now: clock}
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Errorf("Env.Close: %v", err)
		}
	})
	return env
}

// runLuaTests runs each Test* function of testdata/<file> as a subtest on
// its own copy of one lab estate written for the file. prepare, if not nil,
// changes that estate first (for example makeReal). Each test function may
// use the fixture module (see fixtureModule) besides expect and the
// bindings.
func runLuaTests(t *testing.T, file string, opts lab.Options, prepare func(t testing.TB, dir string)) {
	t.Helper()
	runLuaSuite(t, file, opts, prepare, false)
}

// runDryLuaTests is runLuaTests with every test function in a dry run.
func runDryLuaTests(t *testing.T, file string, opts lab.Options, prepare func(t testing.TB, dir string)) {
	t.Helper()
	runLuaSuite(t, file, opts, prepare, true)
}

func runLuaSuite(t *testing.T, file string, opts lab.Options, prepare func(t testing.TB, dir string), dryRun bool) {
	t.Helper()
	t.Parallel()
	template := newLab(t, opts)
	if prepare != nil {
		prepare(t, template)
	}
	luatest.Run(t, filepath.Join("testdata", file), func(t *testing.T) pcrt.Options {
		dir := copyDir(t, template)
		env := newEnv(t, dir)
		return pcrt.Options{Modules: append(env.Modules(), fixtureModule(dir, env)), Now: clock, DryRun: dryRun}
	})
}

// fixtureModule is require("fixture"): what Lua tests need from outside the
// sandbox.
//
//	fixture.dir                      the estate folder
//	fixture.read(name) -> text|nil   a file of the estate folder (nil when missing)
//	fixture.write(name, text)        write a file into the estate folder
//	fixture.files() -> {name...}     every file under the folder, sorted, "/"-separated
//	fixture.runbook() -> text|nil    the runbook the modules wrote so far
//	fixture.deny(category, uri)      deny uri in the source's category, behind the modules' back (then Env.Refresh)
//	fixture.plan() -> {action...}    the plan so far: {step, module, op, target, detail, count}
func fixtureModule(dir string, env *bindings.Env) pcrt.Module {
	return pcrt.Module{Name: "fixture", Loader: func(L *lua.LState) int {
		t := L.NewTable()
		L.SetField(t, "dir", lua.LString(dir))
		L.SetFuncs(t, map[string]lua.LGFunction{
			"read": func(L *lua.LState) int {
				b, err := os.ReadFile(filepath.Join(dir, L.CheckString(1)))
				if err != nil {
					L.Push(lua.LNil)
					return 1
				}
				L.Push(lua.LString(b))
				return 1
			},
			"write": func(L *lua.LState) int {
				path := filepath.Join(dir, L.CheckString(1))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					L.RaiseError("%v", err)
				}
				if err := os.WriteFile(path, []byte(L.CheckString(2)), 0o644); err != nil {
					L.RaiseError("%v", err)
				}
				return 0
			},
			"files": func(L *lua.LState) int {
				names, err := listFiles(dir)
				if err != nil {
					L.RaiseError("%v", err)
				}
				out := L.NewTable()
				for _, n := range names {
					out.Append(lua.LString(n))
				}
				L.Push(out)
				return 1
			},
			"runbook": func(L *lua.LState) int {
				if env.Runbook == nil {
					L.Push(lua.LNil)
					return 1
				}
				L.Push(lua.LString(env.Runbook.Bytes()))
				return 1
			},
			"deny": func(L *lua.LState) int {
				if err := denySource(L.Context(), dir, L.CheckString(1), L.CheckString(2)); err != nil {
					L.RaiseError("fixture.deny: %v", err)
				}
				env.Refresh() // the modules read each pool once per run
				return 0
			},
			"plan": func(L *lua.LState) int {
				out := L.NewTable()
				for _, a := range pcrt.HostFrom(L).Plan.Actions() {
					at := L.NewTable()
					at.RawSetString("step", lua.LString(a.Step))
					at.RawSetString("module", lua.LString(a.Module))
					at.RawSetString("op", lua.LString(a.Op))
					at.RawSetString("target", lua.LString(a.Target))
					at.RawSetString("detail", lua.LString(a.Detail))
					at.RawSetString("count", lua.LNumber(a.Count))
					out.Append(at)
				}
				L.Push(out)
				return 1
			},
		})
		L.Push(t)
		return 1
	}}
}

// denySource adds a principal to the denied members of a category of the
// source database, which the modules cannot do, to make a creator who is no
// longer allowed.
//
// The run holds the source's writer lock, so the row goes in with plain SQL
// (the IDs are looked up through a read-only store, which takes no lock).
func denySource(ctx context.Context, dir, category, uri string) (err error) {
	path := filepath.Join(dir, "source-2015.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	node, ok, err := s.CategoryID(ctx, category)
	if err != nil || !ok {
		return errors.Join(err, fmt.Errorf("no category %q", category))
	}
	id, ok, err := s.FindPrincipal(ctx, "", uri)
	if err != nil || !ok {
		return errors.Join(err, fmt.Errorf("no principal %q", uri))
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	_, err = db.ExecContext(ctx, `INSERT INTO tblScopePrincipal (scopeNodeID, scopePrinID, scopeIsDenied, scopeUpdatedBy) VALUES (?, ?, 1, 1)`, node, id)
	return err
}

// listFiles lists every file under dir, relative and "/"-separated, sorted.
func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	sort.Strings(out)
	return out, err
}

// hashFiles returns every file under dir with its content, so two calls
// can be compared byte for byte.
func hashFiles(t testing.TB, dir string) map[string]string {
	t.Helper()
	names, err := listFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = sha(b)
	}
	return out
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
