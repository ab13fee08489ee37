package runtime

import (
	"fmt"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"

	"github.com/pcmig/pcmig/internal/nearest"
)

// A misspelt module function (export.rnu) compiles, and luacheck cannot
// see it: the module is a local that require returns. It fails only when
// the line runs, possibly after earlier steps wrote to a pool. apiChecker
// finds such names before anything runs: it walks the syntax of the script
// and the modules it requires, follows each local bound to
// require("<Go module>") that is never assigned again, and reports each
// module.name or module:name whose name the module's table does not have.
// The names come from the module's own loader, so they cannot drift from
// the code.
//
// It is conservative: what it cannot know for certain it leaves alone. Not
// reported are dynamic keys (m[k]), locals that are assigned again,
// parameters and other locals that shadow a module, the script's own
// modules, tables that functions return (topology.load():x), names the
// script adds to a module table (function room.mine() end), every name of a
// module whose table is handed to other code (f(export), t = {export}) or
// written with a dynamic key, and any use of a name that the script
// somewhere only tests (if m.x then m.x() end; m.x or y, m.x == nil,
// type(m.x), not m.x), which is how a script asks whether this pcmig has a
// function. Nothing is reported when something could change what require
// returns or what a module table holds behind the walk's back: _G, package, setfenv, getfenv, load, loadstring
// or module used anywhere, require assigned or used other than
// require("name"), or a required module that could not be read.
//
// For each call it reports, with the same care, the keys of an options
// table written in the call that the function does not take
// (apioptions.go).

// moduleAPI is what a Go module's table holds.
type moduleAPI struct {
	has     map[string]bool // the field names
	names   []string        // the same, sorted
	options map[string]OptionTable
}

// moduleAPIs loads each module that is not Data on a state of its own and
// reads its table's field names. A module whose loader raises, returns
// something other than a plain table, or has a metatable is left out (not
// checked).
func moduleAPIs(modules []Module) map[string]*moduleAPI {
	L := lua.NewState(stateOptions())
	defer L.Close()
	for _, lib := range safeLibs {
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(lib.open), Protect: true}, lua.LString(lib.name)); err != nil {
			return nil
		}
	}
	apis := map[string]*moduleAPI{}
	for _, m := range append(builtinModules(L), modules...) {
		if m.Data || m.Loader == nil {
			continue
		}
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(m.Loader), NRet: 1, Protect: true}); err != nil {
			continue
		}
		t, ok := L.Get(-1).(*lua.LTable)
		L.Pop(1)
		if !ok || t.Metatable != lua.LNil {
			continue
		}
		api := &moduleAPI{has: map[string]bool{}, options: m.Options}
		t.ForEach(func(k, _ lua.LValue) {
			if s, ok := k.(lua.LString); ok {
				api.has[string(s)] = true
				api.names = append(api.names, string(s))
			}
		})
		slices.Sort(api.names)
		apis[m.Name] = api
	}
	return apis
}

// apiFile is one parsed file of a script: the script or a module it
// requires.
type apiFile struct {
	name  string
	src   []byte // without a byte order mark
	chunk []ast.Stmt
}

// fieldUse is one module.name or module:name in a script.
type fieldUse struct {
	file   *apiFile
	b      *binding // the local holding the module; nil for require("m").name
	module string
	object string // as written: the local's name, or require("m")
	sep    string // "." or ":"
	name   string
	line   int
	column int
	called bool       // the use calls it
	tested bool       // the value is only tested (if m.x then)
	args   []ast.Expr // the arguments of the call, when it is one
	argsAt int        // the index of the token after the name (placeColumns), or 0
}

// newAPIChecker reads the names of modules' tables (see moduleAPIs).
func newAPIChecker(modules []Module) *apiChecker {
	return &apiChecker{apis: moduleAPIs(modules), open: map[string]bool{}, added: map[string]map[string]bool{}}
}

// walk records the field uses of f and returns its require calls with a
// literal name, in order.
func (c *apiChecker) walk(f *apiFile) []requireCall {
	w := &apiWalker{c: c, f: f}
	w.block(f.chunk)
	return w.reqs
}

// findings reports the field uses of the walked files that their module
// does not have, in file order, by line and column. complete is false
// when a required module could not be read: the walk then cannot know
// every name a script adds to a module table, and nothing is reported.
func (c *apiChecker) findings(files []*apiFile, complete bool) []error {
	if !complete || c.off {
		return nil
	}
	var errs []error
	for _, f := range files {
		uses := c.byFile(f)
		if !slices.ContainsFunc(uses, func(u *fieldUse) bool { return c.finding(u) != nil || len(c.optionProblems(u)) > 0 }) {
			continue // columns (a second scan of the file) only for a file with findings
		}
		toks := tokens(f.src)
		placeColumns(f, toks, uses)
		for _, u := range uses {
			if e := c.finding(u); e != nil {
				errs = append(errs, e)
			}
			for _, p := range c.optionProblems(u) {
				// Worded as CheckOptions words it when the call runs:
				// the operation is the module's function, however the
				// script names the module or calls it.
				errs = append(errs, &ScriptError{File: f.name, Line: p.line, Column: optionColumn(f, toks, u, p), Kind: KindArgument,
					Op: u.module + "." + u.name, Message: p.msg})
			}
		}
	}
	return errs
}

// apiChecker collects the field uses of all files of a script.
type apiChecker struct {
	apis  map[string]*moduleAPI
	off   bool            // something may change require or module tables unseen
	open  map[string]bool // modules whose table escapes or gets dynamic keys
	added map[string]map[string]bool
	uses  []*fieldUse
}

func (c *apiChecker) add(module, name string) {
	if c.added[module] == nil {
		c.added[module] = map[string]bool{}
	}
	c.added[module][name] = true
}

func (c *apiChecker) byFile(f *apiFile) []*fieldUse {
	var out []*fieldUse
	for _, u := range c.uses {
		if u.file == f {
			out = append(out, u)
		}
	}
	return out
}

// finding is the error for u, or nil when u is fine or cannot be judged.
func (c *apiChecker) finding(u *fieldUse) error {
	api := c.apis[u.module]
	switch {
	case api == nil, u.tested, c.open[u.module], c.added[u.module][u.name]:
		return nil
	case u.b != nil && u.b.reassigned:
		return nil
	}
	if api.has[u.name] {
		return nil
	}
	what := "field"
	if u.called {
		what = "function"
	}
	msg := fmt.Sprintf("%s%s%s: the %s module has no %s %s", u.object, u.sep, u.name, u.module, what, u.name)
	if near := nearest.Name(u.name, api.names); near != "" {
		msg += "; did you mean " + near + "?"
	} else {
		msg += " (it has: " + strings.Join(api.names, ", ") + ")"
	}
	return &ScriptError{File: u.file.name, Line: u.line, Column: u.column, Kind: KindNotFound, Message: msg}
}
