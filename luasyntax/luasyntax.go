// Package luasyntax describes the syntax errors of gopher-lua's parser and
// compiler without the source text.
//
// gopher-lua quotes the token it stopped at ("near 'hunter2'"), and a
// compile error can name a label or a local. A file given as a script, a
// module or an estate may be anything (/etc/shadow, a file of passwords),
// and file content never appears in pcmig's errors: a Problem says what
// went wrong, what the parser expected where it knows, and where (line and
// column), never the text.
package luasyntax

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Problem is one syntax error.
type Problem struct {
	Line    int    // 1-based; 0 when unknown
	Column  int    // 1-based, where the parser stopped; 0 when unknown
	EOF     bool   // the file ended first (Line is then its last line)
	Message string // what went wrong, with the column; never source text
}

// Describe describes err, a *parse.Error or *lua.CompileError (or an
// *lua.ApiError of a syntax error), in src. ok is false for other errors.
func Describe(err error, src []byte) (p Problem, ok bool) {
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Cause != nil {
		err = ae.Cause
	}
	var pe *parse.Error
	if errors.As(err, &pe) {
		return parseProblem(pe, src), true
	}
	var ce *lua.CompileError
	if errors.As(err, &ce) {
		return compileProblem(ce), true
	}
	return Problem{}, false
}

// unexpectedRE matches the parser's verbose message: "syntax error:
// unexpected TIdent, expecting ';' or ',' or '}'". Token kinds, never text.
var unexpectedRE = regexp.MustCompile(`^syntax error: unexpected (\S+)(?:, expecting (.+))?$`)

// lexerMessages rewords the scanner's and the grammar's own messages as
// a head and a detail.
var lexerMessages = map[string][2]string{
	"Invalid token":     {"syntax error", "a character that Lua does not allow"},
	"Invalid '~' token": {"syntax error", "'~' is not a Lua operator (not equal is '~=')"},
	"parse error":       {"syntax error", "an expression cannot stand alone as a statement; expected an assignment or a function call"},
	"malformed number":  {"malformed number", "an exponent needs digits, as in 1e5 or 2.5e-3"},
	"unterminated string": {"unterminated string", "a quoted string must end on the line it starts " +
		"(use [[...]] for text over several lines)"},
}

func parseProblem(pe *parse.Error, src []byte) Problem {
	p := Problem{Line: pe.Pos.Line, Column: pe.Pos.Column, EOF: pe.Pos.Line == parse.EOF}
	if !p.EOF && p.Line > 0 && p.Column > 0 {
		p.Column = CharColumn(src, p.Line, p.Column)
	}
	head, detail, hint := pe.Message, "", ""
	if m := unexpectedRE.FindStringSubmatch(pe.Message); m != nil {
		head = "syntax error"
		if m[1] == "$end" {
			p.EOF = true
		} else {
			detail = "unexpected " + tokenWord(m[1], false)
		}
		if m[2] != "" {
			var words []string
			for _, k := range strings.Split(m[2], " or ") {
				words = append(words, tokenWord(k, true))
			}
			detail = strings.TrimPrefix(detail+"; expected "+orList(words), "; ")
		} else if p.EOF {
			hint = " (is an 'end' or a closing bracket missing?)"
		}
	} else if w, ok := lexerMessages[pe.Message]; ok {
		head, detail = w[0], w[1]
	}
	p.Message = head
	if p.EOF {
		p.Line, p.Column = lastLine(src), 0
		p.Message += " at end of file"
	}
	if detail != "" {
		p.Message += ": " + detail
	}
	p.Message += hint
	if !p.EOF && p.Column > 0 {
		p.Message += " (column " + strconv.Itoa(p.Column) + ")"
	}
	return p
}

// compileMessages rewrite the compiler's messages that quote names.
var compileMessages = []struct {
	re   *regexp.Regexp
	repl string
	line int // submatch holding the line to report; 0: the compiler's line, less one
}{
	{regexp.MustCompile(`^no visible label '.*' for <goto> at line (\d+)$`), "no visible label for the goto at line $1", 1},
	// gopher-lua reports the line after the second label.
	{regexp.MustCompile(`^label '.*' already defined on line (\d+)$`), "label already defined on line $1", 0},
	{regexp.MustCompile(`^<goto .*> at line (\d+) jumps into the scope of local '.*'$`), "the goto at line $1 jumps into the scope of a local variable", 1},
}

// quotedRE matches a quoted name in a compile message no rule knows.
var quotedRE = regexp.MustCompile(`'[^']*'|<[^>]*>`)

func compileProblem(ce *lua.CompileError) Problem {
	p := Problem{Line: ce.Line}
	for _, c := range compileMessages {
		m := c.re.FindStringSubmatch(ce.Message)
		if m == nil {
			continue
		}
		p.Message = c.re.ReplaceAllString(ce.Message, c.repl)
		if c.line > 0 {
			p.Line, _ = strconv.Atoi(m[c.line])
		} else if p.Line > 1 {
			p.Line--
		}
		return p
	}
	p.Message = quotedRE.ReplaceAllString(ce.Message, "a name")
	return p
}

// tokenWord names a token kind of the parser's messages, with an article
// ("expected a name") or without ("unexpected name").
func tokenWord(kind string, article bool) string {
	a := ""
	if article {
		a = "a "
	}
	switch kind {
	case "$end":
		return "end of file"
	case "TIdent":
		return a + "name"
	case "TNumber":
		return a + "number"
	case "TString":
		return a + "string"
	case "TEqeq":
		return "'=='"
	case "TNeq":
		return "'~='"
	case "TLte":
		return "'<='"
	case "TGte":
		return "'>='"
	case "T2Comma":
		return "'..'"
	case "T3Comma":
		return "'...'"
	case "T2Colon":
		return "'::'"
	}
	if len(kind) > 1 && kind[0] == 'T' && kind[1] >= 'A' && kind[1] <= 'Z' {
		return "'" + strings.ToLower(kind[1:]) + "'" // TEnd: 'end'
	}
	if len(kind) == 3 && kind[0] == '\'' && kind[2] == '\'' {
		return kind // '=': one character of the grammar
	}
	return a + "token"
}

func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// lastLine is the number of the last line of src.
func lastLine(src []byte) int {
	return bytes.Count(bytes.TrimRight(src, "\n"), []byte("\n")) + 1
}

// CharColumn turns gopher-lua's scanner's byte column on line (both from 1) into a
// character column, as editors count: the scanner counts the bytes of
// UTF-8. Lines end as the scanner ends them (\n, \r\n, \n\r or \r).
func CharColumn(src []byte, line, col int) int {
	for l := 1; l < line; l++ {
		i := bytes.IndexAny(src, "\r\n")
		if i < 0 {
			return col
		}
		if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' || src[i] == '\n' && i+1 < len(src) && src[i+1] == '\r' {
			i++
		}
		src = src[i+1:]
	}
	if col-1 > len(src) {
		return col
	}
	return utf8.RuneCount(src[:col-1]) + 1
}
