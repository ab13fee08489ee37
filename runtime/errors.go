package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// Error kinds. Bindings raise the first six; the runtime assigns the rest.
const (
	KindConflict   = "conflict"   // the target already holds something different
	KindValidation = "validation" // input fails a pre-flight rule
	KindNotFound   = "not_found"  // a named object does not exist
	KindDatabase   = "database"   // a query or transaction failed
	KindIO         = "io"         // a file could not be read or written
	KindArgument   = "argument"   // a Lua function was called wrongly

	KindScript    = "script"    // error() with a string, or a Lua runtime error
	KindSyntax    = "syntax"    // the script does not parse or compile
	KindInternal  = "internal"  // a Go panic inside a module
	KindTimeout   = "timeout"   // Options.Timeout passed
	KindCancelled = "cancelled" // the run's context was cancelled (Ctrl-C)
	KindMemory    = "memory"    // Options.MemoryLimit was reached
)

var runtimeKinds = map[string]bool{
	KindScript: true, KindSyntax: true, KindInternal: true, KindTimeout: true, KindCancelled: true, KindMemory: true,
}

// errorTypeName is the metatable name of typed error values in Lua.
const errorTypeName = "pcmig.error"

// ScriptError is an error raised by or in a script. In Lua it is a userdata
// value with the read-only fields kind, message, op, where (file:line),
// file and line; tostring gives its Error text. [Run] returns errors that
// escape the script as *ScriptError.
type ScriptError struct {
	File    string // chunk name, the script path as given
	Line    int    // 0 when unknown
	Column  int    // 0 when unknown; only validation knows it
	Kind    string // one of the Kind constants
	Op      string // binding operation that failed, such as "import.run"
	Message string
	// Err is the Go cause, if any; Unwrap returns it.
	Err error
	// Traceback is the Lua stack traceback, when known.
	Traceback string
}

// Where returns "file:line:column", "file:line", "file" or "".
func (e *ScriptError) Where() string {
	if e.Line > 0 && e.Column > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column)
	}
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line)
	}
	return e.File
}

// Error returns "file:line: op: kind: message", omitting the empty parts.
// The kind is shown only for the kinds that modules raise; the messages of
// the runtime's own kinds (script, syntax, internal, timeout, cancelled)
// speak for themselves.
func (e *ScriptError) Error() string {
	var b strings.Builder
	if w := e.Where(); w != "" {
		b.WriteString(w)
		b.WriteString(": ")
	}
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Kind != "" && !runtimeKinds[e.Kind] {
		b.WriteString(e.Kind)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the Go cause.
func (e *ScriptError) Unwrap() error { return e.Err }

// MaxMessage is the most of a message a script makes (an error it raises,
// pcmig.raise, log.*) that pcmig shows, reports and journals: a message of
// megabytes (error(string.rep(...))) was written whole to the console, the
// report and the journal, and took long enough to pass a --timeout.
const MaxMessage = 16 << 10

// boundMessage cuts msg to its first MaxMessage bytes (at a character's
// start), saying how many it left out.
func boundMessage(msg string) string {
	if len(msg) <= MaxMessage {
		return msg
	}
	cut := MaxMessage
	for cut > MaxMessage-utf8.UTFMax && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d more bytes of the message not shown)", msg[:cut], len(msg)-cut)
}

// RaiseError raises a typed error of the given kind in L. The message is
// formatted with fmt.Sprintf. The operation is the one [Wrap] recorded and
// the position is the calling script line. It does not return.
func RaiseError(L *lua.LState, kind, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	Raise(L, &ScriptError{Kind: kind, Message: msg})
}

// Raise raises e in L as a typed error value. Empty Op, File and Line are
// filled in from the current operation and the calling script line; an empty
// Kind becomes KindScript and an empty Message is taken from Err. It does not
// return.
func Raise(L *lua.LState, e *ScriptError) {
	if e.Kind == "" {
		e.Kind = KindScript
	}
	if e.Message == "" && e.Err != nil {
		e.Message = e.Err.Error()
	}
	if e.Op == "" {
		if h := HostFrom(L); h != nil {
			e.Op = h.Op()
		}
	}
	if e.File == "" {
		e.File, e.Line = scriptPosition(L)
	}
	L.Error(newErrorValue(L, e), 1)
}

// scriptPosition returns the innermost Lua (not Go) frame's position.
func scriptPosition(L *lua.LState) (string, int) {
	for level := 1; ; level++ {
		w := L.Where(level)
		if w == "" {
			return "", 0
		}
		if strings.HasPrefix(w, "[G]") {
			continue
		}
		if file, line, _, ok := splitPosition(w + " "); ok {
			return file, line
		}
		return strings.TrimSuffix(w, ":"), 0
	}
}

// AsScriptError returns the typed error held by a Lua error value.
func AsScriptError(v lua.LValue) (*ScriptError, bool) {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil, false
	}
	e, ok := ud.Value.(*ScriptError)
	return e, ok
}

func newErrorValue(L *lua.LState, e *ScriptError) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = e
	L.SetMetatable(ud, errorMetatable(L))
	return ud
}

func errorMetatable(L *lua.LState) lua.LValue {
	mt, created := L.GetTypeMetatable(errorTypeName), false
	if mt == lua.LNil {
		mt, created = L.NewTypeMetatable(errorTypeName), true
	}
	if created {
		L.SetField(mt, "__index", L.NewFunction(errorIndex))
		L.SetField(mt, "__tostring", L.NewFunction(errorToString))
		L.SetField(mt, "__metatable", lua.LString(errorTypeName))
	}
	return mt
}

func errorIndex(L *lua.LState) int {
	e, ok := AsScriptError(L.Get(1))
	if !ok {
		L.ArgError(1, "pcmig.error expected")
	}
	switch L.CheckString(2) {
	case "kind":
		L.Push(lua.LString(e.Kind))
	case "message":
		L.Push(lua.LString(e.Message))
	case "op":
		L.Push(lua.LString(e.Op))
	case "where":
		L.Push(lua.LString(e.Where()))
	case "file":
		L.Push(lua.LString(e.File))
	case "line":
		L.Push(lua.LNumber(e.Line))
	default:
		L.Push(lua.LNil)
	}
	return 1
}

func errorToString(L *lua.LState) int {
	e, ok := AsScriptError(L.Get(1))
	if !ok {
		L.ArgError(1, "pcmig.error expected")
	}
	L.Push(lua.LString(e.Error()))
	return 1
}

// errPanic is the cause of errors made from Go panics in modules.
var errPanic = errors.New("panic in Go module")

// Wrap returns fn as the binding operation op (for example "import.run"):
// typed errors raised inside it carry op, and a Go panic inside it becomes a
// typed error of kind KindInternal instead of crashing the run.
func Wrap(op string, fn lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		if h := HostFrom(L); h != nil {
			h.pushOp(op)
			defer h.popOp()
		}
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if _, ok := r.(*lua.ApiError); ok {
				panic(r) // a Lua error on its way to pcall
			}
			Raise(L, &ScriptError{
				Kind:    KindInternal,
				Op:      op,
				Message: fmt.Sprintf("panic: %v", r),
				Err:     errPanic,
			})
		}()
		return fn(L)
	}
}

// SetFuncs sets each function of funcs in tbl, wrapped with [Wrap] as the
// operation "prefix.name".
func SetFuncs(L *lua.LState, tbl *lua.LTable, prefix string, funcs map[string]lua.LGFunction) {
	for name, fn := range funcs {
		L.SetField(tbl, name, L.NewFunction(Wrap(prefix+"."+name, fn)))
	}
}
