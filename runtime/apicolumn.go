package runtime

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/pcmig/pcmig/luasyntax"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// The syntax tree knows lines, not columns; the scanner's tokens know
// both. placeColumns finds each use's tokens (m . name, m : name,
// m [ "name" ], require ( "m" ) . name) on its line and sets the column of
// its first token, in characters from 1 as luacheck counts them. Uses are
// matched to the tokens in source order; one that matches none (written
// with parentheses, (m).name) keeps column 0.
func placeColumns(f *apiFile, toks []ast.Token, uses []*fieldUse) {
	if len(uses) == 0 {
		return
	}
	type key struct {
		line         int
		object, name string
	}
	type place struct{ column, after int }
	found := map[key][]place{}
	for i, t := range toks {
		if t.Type != parse.TIdent {
			continue
		}
		object, next := t.Str, i+1
		if t.Str == "require" {
			var m string
			m, next = requiredName(toks, i+1)
			if m == "" {
				continue
			}
			object = "require(" + strconv.Quote(m) + ")"
		}
		if name, after := fieldName(toks, next); name != "" {
			k := key{t.Pos.Line, object, name}
			found[k] = append(found[k], place{luasyntax.CharColumn(f.src, t.Pos.Line, t.Pos.Column), after})
		}
	}
	for _, u := range uses {
		k := key{u.line, u.object, u.name}
		if places := found[k]; len(places) > 0 {
			u.column, u.argsAt, found[k] = places[0].column, places[0].after, places[1:]
		}
	}
	slices.SortStableFunc(uses, func(a, b *fieldUse) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return a.column - b.column
	})
}

// tokens scans src; it stops at the first error (src compiled, so there is
// none).
func tokens(src []byte) []ast.Token {
	sc := parse.NewScanner(bytes.NewReader(src), "")
	lx := &parse.Lexer{}
	var out []ast.Token
	for {
		t, err := sc.Scan(lx)
		if err != nil || t.Type <= 0 {
			return out
		}
		lx.PrevTokenType = t.Type
		out = append(out, t)
	}
}

// requiredName reads ("m") or "m" from toks[i]: the module name and the
// index after it, or "".
func requiredName(toks []ast.Token, i int) (string, int) {
	paren := i < len(toks) && toks[i].Type == '('
	if paren {
		i++
	}
	if i >= len(toks) || toks[i].Type != parse.TString {
		return "", i
	}
	name := toks[i].Str
	i++
	if paren {
		if i >= len(toks) || toks[i].Type != ')' {
			return "", i
		}
		i++
	}
	return name, i
}

// fieldName reads .name, :name or ["name"] from toks[i]: the name and the
// index after it, or "".
func fieldName(toks []ast.Token, i int) (string, int) {
	if i+1 >= len(toks) {
		return "", 0
	}
	switch {
	case (toks[i].Type == '.' || toks[i].Type == ':') && toks[i+1].Type == parse.TIdent:
		return toks[i+1].Str, i + 2
	case toks[i].Type == '[' && toks[i+1].Type == parse.TString && i+2 < len(toks) && toks[i+2].Type == ']':
		return toks[i+1].Str, i + 3
	}
	return "", 0
}
