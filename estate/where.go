package estate

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// lineOf finds the line of the estate file that gives the value at path
// of the table it returns, reading the file's syntax: the table
// constructor of its return statement (directly, or through a variable
// assigned one at the top level of the file), then the field of each key
// (in the constructor, or a top-level assignment name.key = value) or the
// n-th positional entry of each list. A value the file computes
// some other way is placed at the deepest field found; 0 means none was
// (pcmig then names the field only).
func lineOf(src []byte, path []step) int {
	chunk, err := parse.Parse(bytes.NewReader(src), "estate")
	if err != nil {
		return 0
	}
	var ret ast.Expr
	for _, st := range chunk {
		if r, ok := st.(*ast.ReturnStmt); ok && len(r.Exprs) == 1 {
			ret = r.Exprs[0]
		}
	}
	name := nameOf(ret)
	tbl, _ := resolve(chunk, ret).(*ast.TableExpr)
	if tbl == nil {
		return 0
	}
	line := 0
	for _, s := range path {
		v := entry(tbl, s)
		if v == nil && name != "" && s.index == 0 {
			v = assigned(chunk, name, s.key)
		}
		if v == nil {
			break
		}
		line, name = v.Line(), nameOf(v)
		if tbl, _ = resolve(chunk, v).(*ast.TableExpr); tbl == nil {
			break
		}
	}
	return line
}

// nameOf is the variable e names, or "".
func nameOf(e ast.Expr) string {
	if id, ok := e.(*ast.IdentExpr); ok {
		return id.Value
	}
	return ""
}

// assigned is the value the top level of the file last assigns to
// name.key (name.key = v or name["key"] = v), or nil.
func assigned(chunk []ast.Stmt, name, key string) ast.Expr {
	var found ast.Expr
	for _, st := range chunk {
		a, ok := st.(*ast.AssignStmt)
		if !ok {
			continue
		}
		for i, l := range a.Lhs {
			g, ok := l.(*ast.AttrGetExpr)
			if !ok || nameOf(g.Object) != name || i >= len(a.Rhs) {
				continue
			}
			if k, ok := g.Key.(*ast.StringExpr); ok && strings.EqualFold(k.Value, key) {
				found = a.Rhs[i]
			}
		}
	}
	return found
}

// resolve follows a name to the table constructor the top level of the
// file last assigns to it.
func resolve(chunk []ast.Stmt, e ast.Expr) ast.Expr {
	id, ok := e.(*ast.IdentExpr)
	if !ok {
		return e
	}
	var found ast.Expr
	for _, st := range chunk {
		switch a := st.(type) {
		case *ast.LocalAssignStmt:
			for i, n := range a.Names {
				if n == id.Value && i < len(a.Exprs) {
					found = a.Exprs[i]
				}
			}
		case *ast.AssignStmt:
			for i, l := range a.Lhs {
				if li, ok := l.(*ast.IdentExpr); ok && li.Value == id.Value && i < len(a.Rhs) {
					found = a.Rhs[i]
				}
			}
		}
	}
	if found == nil {
		return e
	}
	return found
}

// entry is the value expression a table constructor gives for one key
// (the last field with exactly that key, else the last with the key in
// another case, as encoding/json matches field names) or list index.
func entry(t *ast.TableExpr, s step) ast.Expr {
	var exact, folded ast.Expr
	n := 0
	for _, f := range t.Fields {
		if f.Key == nil {
			n++
			if s.index == n {
				exact = f.Value
			}
			continue
		}
		switch k := f.Key.(type) {
		case *ast.StringExpr:
			if s.index == 0 && k.Value == s.key {
				exact = f.Value
			} else if s.index == 0 && strings.EqualFold(k.Value, s.key) {
				folded = f.Value
			}
		case *ast.NumberExpr:
			if i, err := strconv.Atoi(k.Value); err == nil && s.index > 0 && i == s.index {
				exact = f.Value
			}
		}
	}
	if exact != nil {
		return exact
	}
	return folded
}
