package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

var (
	// positionRE matches the "file:line: " prefix Lua puts on error messages.
	// The file part is matched lazily, so Windows paths (C:\x.lua) work.
	positionRE = regexp.MustCompile(`(?s)^(.+?):(\d+): ?(.*)$`)
	// frameRE matches a Lua frame of a gopher-lua stack traceback.
	frameRE = regexp.MustCompile(`(?m)^\t(.+?):(\d+): in `)
	// atLineRE matches the line named at the end of a compile error.
	atLineRE = regexp.MustCompile(`at line (\d+)$`)
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
	msg := ae.Object.String()
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

// syntaxError converts gopher-lua's parse and compile errors.
func syntaxError(cause error, src []byte) *ScriptError {
	var pe *parse.Error
	if errors.As(cause, &pe) {
		e := &ScriptError{File: pe.Pos.Source, Line: pe.Pos.Line, Kind: KindSyntax, Err: cause}
		switch {
		case pe.Pos.Line == parse.EOF:
			e.Line = bytes.Count(bytes.TrimRight(src, "\n"), []byte("\n")) + 1
			e.Message = pe.Message + " at end of file (is an 'end' missing?)"
		case pe.Token != "":
			e.Message = fmt.Sprintf("%s near '%s'", pe.Message, pe.Token)
		default:
			e.Message = pe.Message
		}
		return e
	}
	var ce *lua.CompileError
	if errors.As(cause, &ce) {
		// gopher-lua reports the end of the enclosing block; goto errors
		// name the line of the goto itself.
		line := ce.Line
		if m := atLineRE.FindStringSubmatch(ce.Message); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return &ScriptError{Line: line, Kind: KindSyntax, Message: ce.Message, Err: cause}
	}
	return &ScriptError{Kind: KindSyntax, Message: fmt.Sprint(cause), Err: cause}
}
