package runtime

import (
	"strconv"

	"github.com/pcmig/pcmig/luasyntax"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// A call of a Go module's function whose options argument is a table
// constructor written in the call (export.run("source", { levl = "x" }))
// shows its keys before anything runs. Each constant key the function's
// OptionTable does not list is reported as CheckOptions would refuse it
// when the call runs: a string key, a number or boolean key, and a
// positional value that cannot be nil (a string, number, boolean, table or
// function constructor). A field whose value is the constant nil makes no
// entry and is left alone, as are computed keys, positional values that
// may be nil, tables built elsewhere and passed by name, and every call
// that the name check leaves alone (see apiChecker): those are left to the
// check when the function is called.

// optionProblem is a field of an options table constructor that the
// function does not take.
type optionProblem struct {
	line  int
	msg   string
	arg   int // the argument that holds the table, from 0 as written
	field int // the field, from 0
}

// optionProblems are u's problems with its options, when u calls a
// function of a module that takes options and writes the table in the
// call.
func (c *apiChecker) optionProblems(u *fieldUse) []optionProblem {
	api := c.apis[u.module]
	if !u.called || api == nil || !api.has[u.name] || c.finding(u) != nil ||
		c.open[u.module] || c.added[u.module][u.name] || u.b != nil && u.b.reassigned {
		return nil
	}
	ot, ok := api.options[u.name]
	if !ok {
		return nil
	}
	arg := ot.Arg - 1
	if u.sep == ":" {
		arg-- // m:f(x): m is the first argument
	}
	if arg < 0 || arg >= len(u.args) {
		return nil
	}
	t, ok := u.args[arg].(*ast.TableExpr)
	if !ok {
		return nil
	}
	var probs []optionProblem
	add := func(field int, line int, msg string) {
		probs = append(probs, optionProblem{line: line, msg: msg, arg: arg, field: field})
	}
	position := 0
	for i, f := range t.Fields {
		if f.Key == nil {
			position++
			if mayBeNil(f.Value) {
				continue
			}
			add(i, f.Value.Line(), positionalOption(float64(position), ot))
			continue
		}
		if _, isNil := f.Value.(*ast.NilExpr); isNil {
			continue // makes no entry
		}
		line := f.Key.Line()
		if line == 0 {
			line = f.Value.Line()
		}
		switch k := f.Key.(type) {
		case *ast.StringExpr:
			if !ot.Has(k.Value) {
				add(i, line, unknownOption(k.Value, ot))
			}
		case *ast.NumberExpr:
			if n, err := strconv.ParseFloat(k.Value, 64); err == nil {
				add(i, line, positionalOption(n, ot))
			}
		case *ast.TrueExpr, *ast.FalseExpr:
			add(i, line, otherKeyOption("boolean", ot))
		}
	}
	return probs
}

// mayBeNil says whether a positional value may be nil (and so make no
// entry): anything but a constant string, number or boolean and a table
// or function constructor.
func mayBeNil(e ast.Expr) bool {
	switch e.(type) {
	case *ast.StringExpr, *ast.NumberExpr, *ast.TrueExpr, *ast.FalseExpr, *ast.TableExpr, *ast.FunctionExpr:
		return false
	}
	return true
}

// optionColumn is the character column of p's field in the call u, or 0
// when the tokens do not show it (placeColumns found no column for u).
func optionColumn(f *apiFile, toks []ast.Token, u *fieldUse, p optionProblem) int {
	if u.argsAt <= 0 {
		return 0
	}
	fields := tableFields(toks, argStart(toks, u.argsAt, p.arg))
	if p.field >= len(fields) {
		return 0
	}
	t := toks[fields[p.field]]
	return luasyntax.CharColumn(f.src, t.Pos.Line, t.Pos.Column)
}

// argStart is the index of the first token of argument arg (from 0) of
// the call whose arguments start at toks[at] ("(", "{" or a string), or
// -1.
func argStart(toks []ast.Token, at, arg int) int {
	if at >= len(toks) {
		return -1
	}
	if toks[at].Type != '(' {
		if arg == 0 {
			return at // f{...} or f"..."
		}
		return -1
	}
	depth, n := 0, 0
	for j := at + 1; j < len(toks); j++ {
		t := toks[j].Type
		if depth == 0 {
			switch {
			case t == ')':
				return -1
			case t == ',':
				n++
				continue
			case n == arg:
				return j
			}
		}
		depth += nesting(t)
	}
	return -1
}

// tableFields are the indexes of the first tokens of the fields of the
// table constructor at toks[at], or nil when there is none.
func tableFields(toks []ast.Token, at int) []int {
	if at < 0 || toks[at].Type != '{' {
		return nil
	}
	var out []int
	depth, next := 0, true
	for j := at + 1; j < len(toks); j++ {
		t := toks[j].Type
		if depth == 0 {
			switch {
			case t == '}':
				return out
			case t == ',' || t == ';':
				next = true
				continue
			case next:
				out, next = append(out, j), false
			}
		}
		depth += nesting(t)
	}
	return out
}

// nesting is how a token changes the depth of brackets and blocks.
func nesting(t int) int {
	switch t {
	case '(', '[', '{', parse.TFunction, parse.TIf, parse.TDo, parse.TRepeat:
		return 1
	case ')', ']', '}', parse.TEnd, parse.TUntil:
		return -1
	}
	return 0
}
