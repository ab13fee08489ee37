package runtime

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/pcmig/pcmig/luasyntax"
)

var (
	// positionRE matches the "file:line: " prefix Lua puts on error messages.
	// The file part is matched lazily, so Windows paths (C:\x.lua) work.
	positionRE = regexp.MustCompile(`(?s)^(.+?):(\d+): ?(.*)$`)
	// frameRE matches a Lua frame of a gopher-lua stack traceback.
	frameRE = regexp.MustCompile(`(?m)^\t(.+?):(\d+): in `)
)

func splitPosition(msg string) (file string, line int, rest string, ok bool) {
	m := positionRE.FindStringSubmatch(msg)
	if m == nil {
		return "", 0, msg, false
	}
	line, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, msg, false
	}
	return m[1], line, m[3], true
}

// tracebackPosition returns the innermost Lua frame of a traceback.
func tracebackPosition(tb string) (string, int) {
	for _, m := range frameRE.FindAllStringSubmatch(tb, -1) {
		if m[1] == "[G]" {
			continue
		}
		if line, err := strconv.Atoi(m[2]); err == nil {
			return m[1], line
		}
	}
	return "", 0
}

// translateError turns an error from gopher-lua into a *ScriptError that
// names the file and line.
func translateError(err error, src []byte) *ScriptError {
	var se *ScriptError
	if errors.As(err, &se) {
		return se
	}
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		return &ScriptError{Kind: KindInternal, Message: err.Error(), Err: err}
	}
	if ae.Type == lua.ApiErrorSyntax {
		return syntaxError(ae.Cause, src)
	}
	if e, ok := AsScriptError(ae.Object); ok {
		c := *e
		if c.Traceback == "" {
			c.Traceback = ae.StackTrace
		}
		return &c
	}
	out := &ScriptError{Kind: KindScript, Traceback: ae.StackTrace}
	msg := boundMessage(errorObjectText(ae.Object))
	if ae.Type == lua.ApiErrorPanic {
		out.Kind, out.Err = KindInternal, errPanic
		msg = "panic: " + msg
	}
	if file, line, rest, ok := splitPosition(msg); ok {
		out.File, out.Line, out.Message = file, line, rest
		return out
	}
	out.Message = msg
	out.File, out.Line = tracebackPosition(ae.StackTrace)
	return out
}

// syntaxError converts gopher-lua's parse and compile errors. The message
// says what went wrong, what was expected and where, never the source text
// the parser stopped at (luasyntax): a script or module path may name any
// file. The gopher-lua error, which quotes it, is not kept as the cause.
func syntaxError(cause error, src []byte) *ScriptError {
	var pe *parse.Error
	if p, ok := luasyntax.Describe(cause, src); ok {
		e := &ScriptError{Line: p.Line, Kind: KindSyntax, Message: p.Message}
		if errors.As(cause, &pe) {
			e.File = pe.Pos.Source
		}
		return e
	}
	return &ScriptError{Kind: KindSyntax, Message: "the script does not compile"}
}

// errorObjectText is the message of a raised Lua value: a string or a
// number as it is, anything else (error({...}), error()) named by its type
// as Lua 5.2's interpreter names it, not by its address ("table: 0xc000...",
// which says nothing and differs between runs).
func errorObjectText(v lua.LValue) string {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return v.String()
	}
	return fmt.Sprintf("(error object is a %s value)", v.Type())
}
