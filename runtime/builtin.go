package runtime

import (
	"fmt"
	"slices"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/internal/nearest"
)

// Names of the built-in modules.
const (
	LogModule   = "log"
	PcmigModule = "pcmig"
)

// builtins implements the modules every run has:
//
//	log    debug, info, warn, error (format, ...)
//	pcmig  step(name, fn), steps(n), raise(kind, format, ...), dry_run
//
// step and steps are also globals. Formatting uses the string.format of
// the fresh state, so a script that replaces string.format changes neither.
type builtins struct {
	format lua.LValue
}

func builtinModules(L *lua.LState) []Module {
	b := &builtins{format: L.GetField(L.GetGlobal("string"), "format")}
	return []Module{
		{Name: LogModule, Loader: b.logLoader},
		{Name: PcmigModule, Loader: b.pcmigLoader},
	}
}

func installGlobals(L *lua.LState) {
	L.SetGlobal("step", L.NewFunction(luaStep))
	L.SetGlobal("steps", L.NewFunction(luaSteps))
}

// sprintf formats the arguments from index first on like string.format; a
// lone argument is converted with tostring, so "100%" needs no escaping.
func (b *builtins) sprintf(L *lua.LState, first int) string {
	n := L.GetTop()
	if n == first {
		return L.ToStringMeta(L.Get(first)).String()
	}
	L.Push(b.format)
	for i := first; i <= n; i++ {
		L.Push(L.Get(i))
	}
	L.Call(n-first+1, 1)
	msg := L.ToStringMeta(L.Get(-1)).String()
	L.Pop(1)
	return msg
}

func (b *builtins) logLoader(L *lua.LState) int {
	t := L.NewTable()
	for name, level := range map[string]LogLevel{
		"debug": LevelDebug, "info": LevelInfo, "warn": LevelWarn, "error": LevelError,
	} {
		L.SetField(t, name, L.NewFunction(b.logger(level)))
	}
	L.Push(t)
	return 1
}

// logger returns log.<level>(format, ...): it writes "LEVEL message" to the
// host's Stderr when the level passes Options.LogLevel; warn and error are
// also recorded in the report. Raises on a bad format.
func (b *builtins) logger(level LogLevel) lua.LGFunction {
	return func(L *lua.LState) int {
		h := HostFrom(L)
		if h == nil {
			L.RaiseError("log: no pcmig host")
		}
		L.CheckAny(1)
		h.logMessage(level, boundMessage(b.sprintf(L, 1)))
		return 0
	}
}

func (b *builtins) pcmigLoader(L *lua.LState) int {
	h := HostFrom(L)
	t := L.NewTable()
	L.SetField(t, "step", L.NewFunction(luaStep))
	L.SetField(t, "steps", L.NewFunction(luaSteps))
	L.SetField(t, "raise", L.NewFunction(b.raise))
	L.SetField(t, "dry_run", lua.LBool(h != nil && h.DryRun))
	L.Push(t)
	return 1
}

// raise is pcmig.raise(kind, format, ...): it raises a typed error, as the
// Go modules do, so that a script can stop with a kind callers can check.
// The kind must be one the modules raise: a misspelt kind would raise an
// error no err.kind test recognises, and the runtime's kinds (timeout,
// cancelled, memory, ...) mean what pcall cannot catch.
func (b *builtins) raise(L *lua.LState) int {
	kind := L.CheckString(1)
	moduleKinds := []string{KindConflict, KindValidation, KindNotFound, KindDatabase, KindIO, KindArgument}
	if !slices.Contains(moduleKinds, kind) {
		msg := fmt.Sprintf("kind %q: want conflict, validation, not_found, database, io or argument", kind)
		if near := nearest.Name(kind, moduleKinds); near != "" {
			msg += "; did you mean " + near + "?"
		}
		L.ArgError(1, msg)
	}
	L.CheckString(2)
	Raise(L, &ScriptError{Kind: kind, Message: boundMessage(b.sprintf(L, 2))})
	return 0
}
