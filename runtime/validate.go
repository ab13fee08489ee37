package runtime

import (
	"bytes"
	"errors"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// Compile parses and compiles src without running it. A syntax error is a
// *ScriptError of kind KindSyntax naming name and the line.
func Compile(name string, src []byte) error {
	_, err := compile(name, src)
	return err
}

func compile(name string, src []byte) ([]ast.Stmt, error) {
	chunk, err := parse.Parse(bytes.NewReader(stripBOM(src)), name)
	if err == nil {
		_, err = lua.Compile(chunk, name)
	}
	if err != nil {
		se := syntaxError(err, src)
		if se.File == "" {
			se.File = name
		}
		return nil, se
	}
	return chunk, nil
}

// Validate checks script without running it: it compiles the script and,
// following every require with a literal name, the bundled and local
// modules it loads, and reports each required module that neither
// opts.Modules, the built-in modules, opts.BundledFS nor script.Dir
// provides. Each problem is a *ScriptError naming file and line; several
// are joined with errors.Join.
func Validate(script Script, opts Options) error {
	res, err := newResolver(script, opts)
	if err != nil {
		return err
	}
	defer res.close()
	res.preloaded = map[string]bool{LogModule: true, PcmigModule: true}
	for _, name := range stdModules {
		res.preloaded[name] = true
	}
	for _, m := range opts.Modules {
		res.preloaded[m.Name] = true
	}
	v := &validator{res: res, seen: map[string]bool{}}
	v.check(script.Name, script.Source)
	return errors.Join(v.errs...)
}

type validator struct {
	res  *resolver
	seen map[string]bool
	errs []error
}

func (v *validator) check(name string, src []byte) {
	chunk, err := compile(name, src)
	if err != nil {
		v.errs = append(v.errs, err)
		return
	}
	for _, req := range requires(chunk) {
		if v.res.preloaded[req.name] || v.seen[req.name] {
			continue
		}
		v.seen[req.name] = true
		chunkName, modSrc, found, err := v.res.source(req.name)
		switch {
		case err != nil:
			v.errs = append(v.errs, &ScriptError{File: name, Line: req.line, Kind: KindArgument, Op: "require", Message: err.Error()})
		case !found:
			v.errs = append(v.errs, &ScriptError{File: name, Line: req.line, Kind: KindNotFound, Op: "require",
				Message: "module \"" + req.name + "\" not found: no Go module of that name; " + strings.ReplaceAll(v.res.notFound(req.name), "\n\t", "; ")})
		default:
			v.check(chunkName, modSrc)
		}
	}
}

type requireCall struct {
	name string
	line int
}

// requires returns the require calls with a literal module name, in order.
func requires(chunk []ast.Stmt) []requireCall {
	var out []requireCall
	var stmts func([]ast.Stmt)
	var exprs func(...ast.Expr)
	exprs = func(es ...ast.Expr) {
		for _, e := range es {
			switch e := e.(type) {
			case *ast.FuncCallExpr:
				if id, ok := e.Func.(*ast.IdentExpr); ok && id.Value == "require" && len(e.Args) > 0 {
					if s, ok := e.Args[0].(*ast.StringExpr); ok {
						out = append(out, requireCall{name: s.Value, line: e.Line()})
					}
				}
				exprs(e.Func, e.Receiver)
				exprs(e.Args...)
			case *ast.AttrGetExpr:
				exprs(e.Object, e.Key)
			case *ast.TableExpr:
				for _, f := range e.Fields {
					exprs(f.Key, f.Value)
				}
			case *ast.LogicalOpExpr:
				exprs(e.Lhs, e.Rhs)
			case *ast.RelationalOpExpr:
				exprs(e.Lhs, e.Rhs)
			case *ast.StringConcatOpExpr:
				exprs(e.Lhs, e.Rhs)
			case *ast.ArithmeticOpExpr:
				exprs(e.Lhs, e.Rhs)
			case *ast.UnaryMinusOpExpr:
				exprs(e.Expr)
			case *ast.UnaryNotOpExpr:
				exprs(e.Expr)
			case *ast.UnaryLenOpExpr:
				exprs(e.Expr)
			case *ast.FunctionExpr:
				stmts(e.Stmts)
			}
		}
	}
	stmts = func(ss []ast.Stmt) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.AssignStmt:
				exprs(s.Lhs...)
				exprs(s.Rhs...)
			case *ast.LocalAssignStmt:
				exprs(s.Exprs...)
			case *ast.FuncCallStmt:
				exprs(s.Expr)
			case *ast.DoBlockStmt:
				stmts(s.Stmts)
			case *ast.WhileStmt:
				exprs(s.Condition)
				stmts(s.Stmts)
			case *ast.RepeatStmt:
				stmts(s.Stmts)
				exprs(s.Condition)
			case *ast.IfStmt:
				exprs(s.Condition)
				stmts(s.Then)
				stmts(s.Else)
			case *ast.NumberForStmt:
				exprs(s.Init, s.Limit, s.Step)
				stmts(s.Stmts)
			case *ast.GenericForStmt:
				exprs(s.Exprs...)
				stmts(s.Stmts)
			case *ast.FuncDefStmt:
				exprs(s.Func)
			case *ast.ReturnStmt:
				exprs(s.Exprs...)
			}
		}
	}
	stmts(chunk)
	return out
}
