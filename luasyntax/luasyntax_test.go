package luasyntax

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// describe parses and compiles src as gopher-lua does for a script.
func describe(t *testing.T, src string) Problem {
	t.Helper()
	chunk, err := parse.Parse(strings.NewReader(src), "t.lua")
	if err == nil {
		_, err = lua.Compile(chunk, "t.lua")
	}
	if err == nil {
		t.Fatalf("%q compiles", src)
	}
	p, ok := Describe(err, []byte(src))
	if !ok {
		t.Fatalf("Describe(%v) did not recognise it", err)
	}
	return p
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		src  string
		line int
		msg  string
	}{
		{"local = 3\n", 1, "syntax error: unexpected '='; expected 'function' or a name (column 7)"},
		{"x = {1, 2\nsecret = 3\n", 2, "syntax error: unexpected name; expected ';', ',' or '}' (column 1)"},
		{"for i = 1 do end\n", 1, "syntax error: unexpected 'do' (column 11)"},
		{"x = a .. .. b\n", 1, "syntax error: unexpected '..' (column 10)"},
		{"while true do\n\n", 1, "syntax error at end of file: expected 'end'"},
		{"f(1,\n", 1, "syntax error at end of file (is an 'end' or a closing bracket missing?)"},
		{"x = 1\nsecret secret\n", 2, "syntax error: an expression cannot stand alone as a statement; expected an assignment or a function call (column 8)"},
		{"x = 1\ny = \"secret\n", 2, "unterminated string: a quoted string must end on the line it starts (use [[...]] for text over several lines) (column 5)"},
		{"x = [[secret\n", 1, "unterminated multiline string at end of file"},
		{"x = 1 @ secret\n", 1, "syntax error: a character that Lua does not allow (column 7)"},
		{"x = 1 ~ 2\n", 1, "syntax error: '~' is not a Lua operator (not equal is '~=') (column 7)"},
		// Released gopher-lua read 1e and 1e+ as NaN, without an error.
		{"x = 1e\n", 1, "malformed number: an exponent needs digits, as in 1e5 or 2.5e-3 (column 5)"},
		{"x = 2.5e+ 1\n", 1, "malformed number: an exponent needs digits, as in 1e5 or 2.5e-3 (column 5)"},
		// Columns count characters, as editors do, not the UTF-8 bytes
		// the scanner counts.
		{"x = \"h\u00e9llo\" @ secret\n", 1, "syntax error: a character that Lua does not allow (column 13)"},
		{"x = \"\u65e5\u672c\" @ secret\n", 1, "syntax error: a character that Lua does not allow (column 10)"},
		{"s = '\u00fc\u00fc'\nlocal = 3\n", 2, "syntax error: unexpected '='; expected 'function' or a name (column 7)"},
		{"s = 1\r\nt = '\u00e9' local = 3\r\n", 2, "syntax error: unexpected '='; expected 'function' or a name (column 15)"},
		{"goto secret\n", 1, "no visible label for the goto at line 1"},
		{"x = 1\n::secret::\n::secret::\n", 3, "label already defined on line 2"},
		{"goto l\nlocal secret = 1\n::l::\nprint(secret)\n", 1, "the goto at line 1 jumps into the scope of a local variable"},
	}
	for _, tc := range tests {
		p := describe(t, tc.src)
		if p.Line != tc.line || p.Message != tc.msg {
			t.Errorf("%q: line %d %q, want line %d %q", tc.src, p.Line, p.Message, tc.line, tc.msg)
		}
		if strings.Contains(p.Message, "secret") {
			t.Errorf("%q: the message quotes the source: %q", tc.src, p.Message)
		}
	}
}

func TestDescribeOtherErrors(t *testing.T) {
	if _, ok := Describe(&lua.ApiError{Type: lua.ApiErrorRun, Object: lua.LString("boom")}, nil); ok {
		t.Error("a runtime error was taken for a syntax error")
	}
}
