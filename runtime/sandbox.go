package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/fsguard"
)

// safeLibs are the standard libraries a script gets. There is no io, os,
// debug or channel library; package is opened only so that require works
// and is then stripped of its file searchers.
var safeLibs = []struct {
	name string
	open lua.LGFunction
}{
	{lua.LoadLibName, lua.OpenPackage},
	{lua.BaseLibName, lua.OpenBase},
	{lua.TabLibName, lua.OpenTable},
	{lua.StringLibName, lua.OpenString},
	{lua.MathLibName, lua.OpenMath},
	{lua.CoroutineLibName, lua.OpenCoroutine},
}

// stdModules can be required because the libraries above register them.
var stdModules = []string{"_G", "package", "table", "string", "math", "coroutine"}

// removedGlobals reach the file system or the process's stdout. load and
// loadstring stay: gopher-lua compiles only source text, never bytecode, and
// the chunk gets the same sandboxed globals.
var removedGlobals = []string{"dofile", "loadfile", "_printregs"}

// openState opens the sandboxed state of a run: safe libraries, print to the
// host, require limited to preloaded modules, the bundled FS and the
// script's folder, and the built-in and given modules preloaded. The
// returned function closes the state and the script folder.
func openState(h *Host, script Script, opts Options, memCheck func(int) error) (*lua.LState, func(), error) {
	res, err := newResolver(script, opts)
	if err != nil {
		return nil, nil, err
	}
	lo := stateOptions()
	lo.MemoryCheck = memCheck
	L := lua.NewState(lo)
	closeAll := func() {
		L.Close()
		res.close()
	}
	if err := setupState(L, h, res, opts.Modules); err != nil {
		closeAll()
		return nil, nil, err
	}
	return L, closeAll, nil
}

// The sizes of a state's stacks. Both start small and grow with the work,
// so that ordinary scripts never meet a fixed limit (released gopher-lua
// stopped table.concat of 3,000 strings with "registry overflow"); the
// memory limit bounds them long before these maximums do.
const (
	// registryStart is the data stack a state (and each coroutine) starts
	// with, in values of 16 bytes; it grows by half when full.
	registryStart = 256
	// registryMax stops a runaway push ("registry overflow") at 256 MiB.
	registryMax = 1 << 24
	// callDepthMax is the deepest Lua call nesting: ten times Lua 5.1's
	// LUAI_MAXCALLS. Frames are allocated 8 at a time as the depth grows.
	callDepthMax = 200000
)

func stateOptions() lua.Options {
	return lua.Options{
		SkipOpenLibs:        true,
		RegistrySize:        registryStart,
		RegistryMaxSize:     registryMax,
		CallStackSize:       callDepthMax,
		MinimizeStackMemory: true,
	}
}

func setupState(L *lua.LState, h *Host, res *resolver, modules []Module) error {
	for _, lib := range safeLibs {
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(lib.open), Protect: true}, lua.LString(lib.name)); err != nil {
			return fmt.Errorf("open Lua library %q: %w", lib.name, err)
		}
	}
	for _, name := range removedGlobals {
		L.SetGlobal(name, lua.LNil)
	}
	h.install(L)
	L.SetGlobal("print", L.NewFunction(h.print))

	pkg := L.GetGlobal("package").(*lua.LTable)
	L.SetField(pkg, "loadlib", lua.LNil)
	L.SetField(pkg, "path", lua.LString(""))
	L.SetField(pkg, "cpath", lua.LString(""))
	loaders := L.CreateTable(2, 0)
	loaders.Append(L.NewFunction(loadPreloaded))
	loaders.Append(L.NewFunction(res.loadFile))
	L.SetField(pkg, "loaders", loaders)
	L.SetField(L.Get(lua.RegistryIndex), "_LOADERS", loaders)

	seen := map[string]bool{}
	for _, name := range stdModules {
		seen[name] = true
	}
	for _, m := range append(builtinModules(L), modules...) {
		if m.Name == "" || m.Loader == nil {
			return fmt.Errorf("module %q: a module needs a name and a loader", m.Name)
		}
		if seen[m.Name] {
			return fmt.Errorf("module %q is registered twice", m.Name)
		}
		seen[m.Name] = true
		L.PreloadModule(m.Name, m.Loader)
	}
	res.preloaded = seen
	installGlobals(L)
	return nil
}

// print writes its arguments, tab-separated, to the host's Stdout.
func (h *Host) print(L *lua.LState) int {
	var b strings.Builder
	for i := 1; i <= L.GetTop(); i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		b.WriteString(L.ToStringMeta(L.Get(i)).String())
	}
	b.WriteByte('\n')
	_, _ = h.Stdout.Write([]byte(b.String()))
	return 0
}

// loadPreloaded is the first searcher: package.preload.
func loadPreloaded(L *lua.LState) int {
	name := L.CheckString(1)
	preload, ok := L.GetField(L.GetGlobal("package"), "preload").(*lua.LTable)
	if !ok {
		L.RaiseError("package.preload must be a table")
	}
	if fn := L.GetField(preload, name); fn != lua.LNil {
		L.Push(fn)
		return 1
	}
	L.Push(lua.LString(fmt.Sprintf("no Go module '%s'", name)))
	return 1
}

// moduleNameRE accepts dotted names of plain path elements; "..", slashes
// and absolute paths cannot be written.
var moduleNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

// resolver finds the Lua source of a required module: first in the bundled
// FS, then in the script's folder (opened as an os.Root, so symbolic links
// cannot lead out of it either).
type resolver struct {
	preloaded map[string]bool
	bundled   fs.FS
	dir       string
	root      *os.Root
}

func newResolver(script Script, opts Options) (*resolver, error) {
	r := &resolver{bundled: opts.BundledFS, dir: script.Dir}
	if script.Dir != "" {
		root, err := os.OpenRoot(script.Dir)
		if err != nil {
			return nil, fmt.Errorf("open script folder: %w", err)
		}
		r.root = root
	}
	return r, nil
}

func (r *resolver) close() {
	if r.root != nil {
		_ = r.root.Close() // read-only; nothing to lose
	}
}

// source returns the chunk name and text of module name. found is false
// when no file holds it; err reports an invalid name or an unreadable file.
func (r *resolver) source(name string) (chunk string, src []byte, found bool, err error) {
	if !moduleNameRE.MatchString(name) {
		return "", nil, false, fmt.Errorf("invalid module name %q: name a module by its path below the script's folder, with dots for slashes and without .lua, as in require(\"lib.helpers\")", name)
	}
	rel := strings.ReplaceAll(name, ".", "/") + ".lua"
	if r.bundled != nil {
		src, err := fs.ReadFile(r.bundled, rel)
		if err == nil {
			if err := r.shadowed(rel, src); err != nil {
				return "", nil, false, err
			}
			return "bundled:" + rel, src, true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, false, fmt.Errorf("read bundled module %s: %w", rel, err)
		}
	}
	if r.root != nil {
		src, err := r.readModule(filepath.FromSlash(rel))
		if err == nil {
			return filepath.Join(r.dir, filepath.FromSlash(rel)), src, true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, false, fmt.Errorf("read module %s in %s: %w", rel, r.dir, err)
		}
	}
	return "", nil, false, nil
}

// errShadowed is wrapped by the error of a require whose bundled module
// has a different file of the same name in the script's folder.
var errShadowed = errors.New("a file in the script's folder has a bundled module's name")

// shadowed refuses a bundled module (rel, src) when the script's folder
// holds a different file of the same name: the bundled module is found
// first, so an administrator's own copy (customised, or a module of that
// name written before pcmig bundled one) would be passed over in silence.
// A copy with the bundled text (in any encoding or line ending pcmig reads)
// is not a conflict.
func (r *resolver) shadowed(rel string, src []byte) error {
	if r.root == nil {
		return nil
	}
	local := filepath.FromSlash(rel)
	if st, err := r.root.Stat(local); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	mine, err := r.readModule(local)
	if err == nil {
		mine, err = decodeSource(rel, mine)
	}
	same := func(a, b []byte) bool {
		norm := func(x []byte) []byte { return bytes.TrimRight(bytes.ReplaceAll(x, []byte("\r\n"), []byte("\n")), "\n") }
		return bytes.Equal(norm(a), norm(b))
	}
	if err == nil && same(mine, src) {
		return nil
	}
	name := strings.TrimSuffix(strings.ReplaceAll(rel, "/", "."), ".lua")
	return fmt.Errorf("%w: %s is bundled with pcmig (pcmig scripts show %s) and %s differs from it; "+
		"require(%q) loads the bundled one, never yours: rename yours (as my_%s.lua) and require that name, "+
		"or remove it to use the bundled module", errShadowed, rel, strings.TrimSuffix(rel, ".lua"),
		filepath.Join(r.dir, local), name, strings.TrimSuffix(filepath.Base(local), ".lua"))
}

// readModule reads a module of the script's folder: a regular file (a
// named pipe would block the run where no time limit reaches) of at most
// fsguard.MaxScript bytes.
func (r *resolver) readModule(rel string) ([]byte, error) {
	st, err := r.root.Stat(rel)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (want a file)", fsguard.ErrNotRegular)
	}
	if st.Size() > fsguard.MaxScript {
		return nil, fmt.Errorf("%w: %d bytes, and a module is at most %d", fsguard.ErrTooLarge, st.Size(), fsguard.MaxScript)
	}
	f, err := r.root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, fsguard.MaxScript+1))
	if err != nil {
		return nil, err
	}
	if len(src) > fsguard.MaxScript {
		return nil, fmt.Errorf("%w: over %d bytes, and a module is at most %d", fsguard.ErrTooLarge, fsguard.MaxScript, fsguard.MaxScript)
	}
	return src, nil
}

func (r *resolver) notFound(name string) string {
	rel := strings.ReplaceAll(name, ".", "/") + ".lua"
	var msgs []string
	if r.bundled != nil {
		msgs = append(msgs, fmt.Sprintf("no bundled file '%s'", rel))
	}
	if r.root != nil {
		msgs = append(msgs, fmt.Sprintf("no file '%s'", filepath.Join(r.dir, filepath.FromSlash(rel))))
	} else {
		msgs = append(msgs, "no script folder to search")
	}
	return strings.Join(msgs, "\n\t")
}

// loadFile is the second searcher: bundled modules and the script's folder.
func (r *resolver) loadFile(L *lua.LState) int {
	name := L.CheckString(1)
	chunk, src, found, err := r.source(name)
	switch {
	case err != nil && !moduleNameRE.MatchString(name):
		Raise(L, &ScriptError{Kind: KindArgument, Op: "require", Message: err.Error()})
	case errors.Is(err, errShadowed):
		Raise(L, &ScriptError{Kind: KindConflict, Op: "require", Message: err.Error(), Err: err})
	case err != nil:
		Raise(L, &ScriptError{Kind: KindIO, Op: "require", Message: err.Error(), Err: err})
	case !found:
		L.Push(lua.LString(r.notFound(name)))
		return 1
	}
	src, err = decodeSource(chunk, src)
	if err != nil {
		Raise(L, err.(*ScriptError))
	}
	fn, err := L.Load(bytes.NewReader(src), chunk)
	if err != nil {
		e := translateError(err, src)
		if e.File == "" {
			e.File = chunk
		}
		Raise(L, e)
	}
	L.Push(fn)
	return 1
}
