package parse

import (
	"errors"
	"strings"
	"testing"
)

// Syntax errors name the kind of token the parser stopped at and what it
// expected, at the position where that token starts; an unterminated
// string is reported on the line of its opening quote.
func TestSyntaxErrorPositions(t *testing.T) {
	tests := []struct {
		src       string
		msg       string
		line, col int
	}{
		{"local = 3\n", "syntax error: unexpected '=', expecting TFunction or TIdent", 1, 7},
		{"x = 1\nlocal a = 1 + + hunter2\n", "syntax error: unexpected '+'", 2, 15},
		{"x = {1, 2\ny = 3\n", "syntax error: unexpected TIdent, expecting ';' or ',' or '}'", 2, 1},
		{"local s = \"abc\nreturn s\n", "unterminated string", 1, 11},
		{"x = 1e\n", "malformed number", 1, 5},
		{"x = 2 + 1.5E-;\n", "malformed number", 1, 9},
	}
	for _, tc := range tests {
		_, err := Parse(strings.NewReader(tc.src), "t.lua")
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q) = %v, want a *parse.Error", tc.src, err)
		}
		if pe.Message != tc.msg || pe.Pos.Line != tc.line || pe.Pos.Column != tc.col {
			t.Errorf("Parse(%q): %q at %d:%d, want %q at %d:%d", tc.src, pe.Message, pe.Pos.Line, pe.Pos.Column, tc.msg, tc.line, tc.col)
		}
	}
}
