package runtime

import (
	"strconv"

	"github.com/yuin/gopher-lua/ast"
)

// offGlobals are the globals through which a script can change what
// require returns or what a module table holds without the walk seeing it
// (package.loaded, the environment, code compiled from strings, Lua 5.1's
// module). A script that uses any of them is not checked.
var offGlobals = map[string]bool{
	"_G": true, "package": true, "setfenv": true, "getfenv": true, "load": true, "loadstring": true, "module": true,
}

// binding is a local variable. module is the Go module it holds when it
// was declared as local x = require("module"), else "".
type binding struct {
	module     string
	reassigned bool
}

type scope struct {
	parent *scope
	names  map[string]*binding
}

// apiWalker walks one file's syntax tree with its local scopes.
type apiWalker struct {
	c    *apiChecker
	f    *apiFile
	sc   *scope
	reqs []requireCall // the calls of require with a literal name
}

func (w *apiWalker) push() { w.sc = &scope{parent: w.sc, names: map[string]*binding{}} }
func (w *apiWalker) pop()  { w.sc = w.sc.parent }

func (w *apiWalker) declare(name, module string) {
	w.sc.names[name] = &binding{module: module}
}

// lookup returns the local a name refers to, or nil for a global.
func (w *apiWalker) lookup(name string) *binding {
	for s := w.sc; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

func (w *apiWalker) block(stmts []ast.Stmt) {
	w.push()
	w.stmts(stmts)
	w.pop()
}

func (w *apiWalker) stmts(stmts []ast.Stmt) {
	for _, s := range stmts {
		w.stmt(s)
	}
}

func (w *apiWalker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		for _, e := range s.Lhs {
			w.target(e)
		}
		w.exprs(s.Rhs...)
	case *ast.LocalAssignStmt:
		w.local(s)
	case *ast.FuncCallStmt:
		if call, ok := s.Expr.(*ast.FuncCallExpr); ok {
			w.call(call, true)
		} else {
			w.expr(s.Expr, false)
		}
	case *ast.DoBlockStmt:
		w.block(s.Stmts)
	case *ast.WhileStmt:
		w.expr(s.Condition, true)
		w.block(s.Stmts)
	case *ast.RepeatStmt:
		w.push() // until sees the body's locals
		w.stmts(s.Stmts)
		w.expr(s.Condition, true)
		w.pop()
	case *ast.IfStmt:
		w.expr(s.Condition, true)
		w.block(s.Then)
		w.block(s.Else)
	case *ast.NumberForStmt:
		w.exprs(s.Init, s.Limit, s.Step)
		w.push()
		w.declare(s.Name, "")
		w.stmts(s.Stmts)
		w.pop()
	case *ast.GenericForStmt:
		w.exprs(s.Exprs...)
		w.push()
		for _, n := range s.Names {
			w.declare(n, "")
		}
		w.stmts(s.Stmts)
		w.pop()
	case *ast.FuncDefStmt:
		if s.Name.Receiver != nil {
			if m, _, _ := w.moduleRef(s.Name.Receiver); m != "" {
				w.c.add(m, s.Name.Method) // function room:mine() end
			} else {
				w.expr(s.Name.Receiver, false)
			}
		} else {
			w.target(s.Name.Func)
		}
		w.function(s.Func, s.Name.Receiver != nil)
	case *ast.ReturnStmt:
		w.exprs(s.Exprs...)
	}
}

// local declares the names of a local statement. A lone function
// (local function f) is in scope in its own body; elsewhere the
// expressions are walked before the names exist.
func (w *apiWalker) local(s *ast.LocalAssignStmt) {
	if len(s.Names) == 1 && len(s.Exprs) == 1 {
		if fn, ok := s.Exprs[0].(*ast.FunctionExpr); ok {
			w.declare(s.Names[0], "")
			w.function(fn, false)
			return
		}
	}
	modules := make([]string, len(s.Names))
	for i, e := range s.Exprs {
		if i < len(s.Names) {
			if call, ok := e.(*ast.FuncCallExpr); ok {
				if m, literal := w.requireCall(call); literal {
					if w.c.apis[m] != nil {
						modules[i] = m
					}
					continue
				}
			}
		}
		w.expr(e, false)
	}
	for i, n := range s.Names {
		w.declare(n, modules[i])
	}
}

// target walks the left side of an assignment.
func (w *apiWalker) target(e ast.Expr) {
	switch e := e.(type) {
	case *ast.IdentExpr:
		if b := w.lookup(e.Value); b != nil {
			b.reassigned = true
		} else if e.Value == "require" || offGlobals[e.Value] {
			w.c.off = true
		}
	case *ast.AttrGetExpr:
		if m, _, _ := w.moduleRef(e.Object); m != "" {
			if k, ok := e.Key.(*ast.StringExpr); ok {
				w.c.add(m, k.Value) // room.mine = f
			} else {
				w.c.open[m] = true // room[k] = f
				w.expr(e.Key, false)
			}
			return
		}
		w.expr(e.Object, false)
		w.expr(e.Key, false)
	default:
		w.expr(e, false)
	}
}

func (w *apiWalker) exprs(es ...ast.Expr) {
	for _, e := range es {
		if e != nil {
			w.expr(e, false)
		}
	}
}

// expr walks an expression whose value is used; tested says it is only
// tested for truth or nil.
func (w *apiWalker) expr(e ast.Expr, tested bool) {
	switch e := e.(type) {
	case *ast.IdentExpr:
		if b := w.lookup(e.Value); b != nil {
			if b.module != "" {
				w.c.open[b.module] = true // handed on as a value
			}
		} else if e.Value == "require" || offGlobals[e.Value] {
			w.c.off = true
		}
	case *ast.AttrGetExpr:
		if ok, _ := w.use(e, false, tested); !ok {
			w.expr(e.Object, false)
			w.expr(e.Key, false)
		}
	case *ast.FuncCallExpr:
		w.call(e, false)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			w.exprs(f.Key, f.Value)
		}
	case *ast.LogicalOpExpr:
		w.expr(e.Lhs, true)
		w.expr(e.Rhs, true)
	case *ast.RelationalOpExpr:
		eq := e.Operator == "==" || e.Operator == "~="
		w.expr(e.Lhs, eq)
		w.expr(e.Rhs, eq)
	case *ast.StringConcatOpExpr:
		w.exprs(e.Lhs, e.Rhs)
	case *ast.ArithmeticOpExpr:
		w.exprs(e.Lhs, e.Rhs)
	case *ast.UnaryMinusOpExpr:
		w.expr(e.Expr, false)
	case *ast.UnaryNotOpExpr:
		w.expr(e.Expr, true)
	case *ast.UnaryLenOpExpr:
		w.expr(e.Expr, false)
	case *ast.FunctionExpr:
		w.function(e, false)
	}
}

// call walks a call; discarded says its value is not used (a statement).
func (w *apiWalker) call(e *ast.FuncCallExpr, discarded bool) {
	var u *fieldUse // the module function called, if it is one
	switch {
	case e.Receiver != nil:
		if m, object, b := w.moduleRef(e.Receiver); m != "" {
			u = w.record(m, object, b, ":", e.Method, e.Receiver.Line(), true, false)
		} else {
			w.expr(e.Receiver, false)
		}
	default:
		if m, literal := w.requireCall(e); literal {
			if !discarded && w.c.apis[m] != nil {
				w.c.open[m] = true // f(require("room")): handed on
			}
			return
		}
		attr, isAttr := e.Func.(*ast.AttrGetExpr)
		var used bool
		if isAttr {
			used, u = w.use(attr, true, false)
		}
		if !used {
			w.expr(e.Func, false)
		}
	}
	if u != nil {
		u.args = e.Args // its options are checked with the name (optionFindings)
	}
	// type(m.x) only tests whether m has x.
	tested := false
	if id, ok := e.Func.(*ast.IdentExpr); ok && e.Receiver == nil && id.Value == "type" && w.lookup("type") == nil {
		tested = true
	}
	for _, a := range e.Args {
		w.expr(a, tested)
	}
}

// use records m.name when e is one with a constant name; it reports
// whether e was a module field, and the use recorded (nil for m[k]).
func (w *apiWalker) use(e *ast.AttrGetExpr, called, tested bool) (bool, *fieldUse) {
	m, object, b := w.moduleRef(e.Object)
	if m == "" {
		return false, nil
	}
	if k, ok := e.Key.(*ast.StringExpr); ok {
		return true, w.record(m, object, b, ".", k.Value, e.Object.Line(), called, tested)
	}
	w.expr(e.Key, false) // m[k]: dynamic, not checked
	return true, nil
}

func (w *apiWalker) record(module, object string, b *binding, sep, name string, line int, called, tested bool) *fieldUse {
	if tested {
		// if m.x then m.x() end: a name the script tests for is not
		// reported anywhere.
		w.c.add(module, name)
	}
	u := &fieldUse{file: w.f, b: b, module: module, object: object, sep: sep,
		name: name, line: line, called: called, tested: tested}
	w.c.uses = append(w.c.uses, u)
	return u
}

// moduleRef says whether e is a checked Go module: a local bound to
// require("m"), or the call require("m") itself. It returns the module,
// how the script wrote it and the local (nil for a call).
func (w *apiWalker) moduleRef(e ast.Expr) (module, object string, b *binding) {
	switch e := e.(type) {
	case *ast.IdentExpr:
		if b := w.lookup(e.Value); b != nil && b.module != "" {
			return b.module, e.Value, b
		}
	case *ast.FuncCallExpr:
		if m, literal := w.requireCall(e); literal && w.c.apis[m] != nil {
			return m, "require(" + strconv.Quote(m) + ")", nil
		}
	}
	return "", "", nil
}

// requireCall says whether e calls the global require with a literal name,
// and which. A require with any other argument turns the check off: it may
// load a module that the walk does not see.
func (w *apiWalker) requireCall(e *ast.FuncCallExpr) (module string, literal bool) {
	id, ok := e.Func.(*ast.IdentExpr)
	if !ok || e.Receiver != nil || id.Value != "require" || w.lookup("require") != nil {
		return "", false
	}
	if len(e.Args) > 0 {
		if s, ok := e.Args[0].(*ast.StringExpr); ok {
			w.reqs = append(w.reqs, requireCall{name: s.Value, line: e.Line()})
			for _, a := range e.Args[1:] {
				w.expr(a, false)
			}
			return s.Value, true
		}
	}
	w.c.off = true
	return "", false
}

// function walks a function body in a scope of its own with its
// parameters (and self for a method).
func (w *apiWalker) function(fn *ast.FunctionExpr, method bool) {
	w.push()
	if method {
		w.declare("self", "")
	}
	if fn.ParList != nil {
		for _, n := range fn.ParList.Names {
			w.declare(n, "")
		}
	}
	w.stmts(fn.Stmts)
	w.pop()
}
