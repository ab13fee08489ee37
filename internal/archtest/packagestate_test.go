package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/pcmig/pcmig"

// TestNoPackageState: pcmig keeps no package state (README, style.md).
// A package-level variable of non-test code may be set by its
// declaration and by the package's init functions (a lookup table
// filled once), and by nothing else: no assignment, increment, element
// or field write, address taken or range assignment anywhere else, in
// any package's code or tests. A test hook or a knob goes in a struct
// field or an options value instead.
func TestNoPackageState(t *testing.T) {
	writes, err := packageVarWrites(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range writes {
		t.Errorf("%s: package variable %s is written outside its declaration (package state: make it a struct field or an option)", w.pos, w.name)
	}
}

// TestPackageStateFound: the check finds each kind of write, in the
// package's own files and through an import, and passes over locals that
// shadow a package variable, init functions and the declarations.
func TestPackageStateFound(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"go.mod": "module " + module + "\n",
		"a/a.go": `package a

var Hook func()
var knob = 5
var table = map[string]bool{}
var counter int
var list []int
var conf struct{ n int }
var fine = 3
var filled = map[string]bool{}

func init() { filled["x"] = true }

func use() {
	knob := 7 // a local, not the package's
	knob = 8
	_ = knob
	table["k"] = true
	counter++
	p := &list
	_ = p
	conf.n = 2
	for _, counter = range []int{1} {
	}
	_ = fine
}
`,
		"a/a_test.go": `package a

func setHook() { Hook = func() {} }
`,
		"b/b_test.go": `package b_test

import "` + module + `/a"

func set() { a.Hook = nil }
`,
	}
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writes, err := packageVarWrites(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range writes {
		got = append(got, strings.TrimPrefix(w.name, module+"/")+" "+filepath.ToSlash(w.pos[len(root)+1:]))
	}
	want := []string{
		"a.table a/a.go:18:2", "a.counter a/a.go:19:2", "a.list a/a.go:20:8", "a.conf a/a.go:22:2",
		"a.counter a/a.go:23:9", "a.Hook a/a_test.go:3:18", "a.Hook b/b_test.go:5:14",
	}
	if !slices.Equal(got, want) {
		t.Errorf("writes found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// varWrite is one write of a package variable.
type varWrite struct {
	name string // import path "." variable
	pos  string // file:line:column
}

// goPackage is the files of one folder.
type goPackage struct {
	path  string // import path
	files map[string]*ast.File
}

// packageVarWrites finds the writes of the package-level variables of
// non-test code in the module at root (third_party and testdata aside).
func packageVarWrites(root string) ([]varWrite, error) {
	fset := token.NewFileSet()
	var pkgs []goPackage
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); p != root && (name == "third_party" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		path := module
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		pkg := goPackage{path: path, files: map[string]*ast.File{}}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			// Object resolution (ast.Ident.Obj) tells a local from a
			// package variable of the same name without type-checking.
			f, err := parser.ParseFile(fset, filepath.Join(p, e.Name()), nil, 0)
			if err != nil {
				return err
			}
			pkg.files[e.Name()] = f
		}
		if len(pkg.files) > 0 {
			pkgs = append(pkgs, pkg)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	vars := map[string]map[string]bool{} // import path -> variables of its non-test code
	for _, pkg := range pkgs {
		vars[pkg.path] = map[string]bool{}
		for name, f := range pkg.files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
					for _, s := range g.Specs {
						for _, id := range s.(*ast.ValueSpec).Names {
							if id.Name != "_" {
								vars[pkg.path][id.Name] = true
							}
						}
					}
				}
			}
		}
	}
	var out []varWrite
	for _, pkg := range pkgs {
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range pkg.files {
				if !yield(n) {
					return
				}
			}
		})
		for _, name := range names {
			out = append(out, fileWrites(fset, pkg.path, pkg.files[name], strings.HasSuffix(name, "_test.go"), vars)...)
		}
	}
	return out, nil
}

// fileWrites finds the writes of package variables in one file of the
// package at path.
func fileWrites(fset *token.FileSet, path string, f *ast.File, test bool, vars map[string]map[string]bool) []varWrite {
	own := vars[path]
	if strings.HasSuffix(f.Name.Name, "_test") {
		own = nil // an external test package: its variables are the test's
	}
	imports := map[string]string{} // local name -> import path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = p
	}
	topLevel := map[any]bool{} // the file's own package-level var specs
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, s := range g.Specs {
				topLevel[s] = true
			}
		}
	}
	var out []varWrite
	written := func(e ast.Expr) {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.IndexExpr:
				e = x.X
				continue
			case *ast.StarExpr:
				e = x.X
				continue
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Obj == nil {
					if p, ok := imports[id.Name]; ok && vars[p][x.Sel.Name] {
						out = append(out, varWrite{p + "." + x.Sel.Name, fset.Position(x.Pos()).String()})
						return
					}
				}
				e = x.X
				continue
			case *ast.Ident:
				pkgVar := x.Obj == nil || (x.Obj.Kind == ast.Var && topLevel[x.Obj.Decl])
				if pkgVar && own[x.Name] {
					out = append(out, varWrite{path + "." + x.Name, fset.Position(x.Pos()).String()})
				}
			}
			return
		}
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || (!test && fn.Recv == nil && fn.Name.Name == "init") {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch s := n.(type) {
			case *ast.AssignStmt:
				if s.Tok != token.DEFINE {
					for _, l := range s.Lhs {
						written(l)
					}
				}
			case *ast.IncDecStmt:
				written(s.X)
			case *ast.RangeStmt:
				if s.Tok == token.ASSIGN {
					for _, e := range []ast.Expr{s.Key, s.Value} {
						if e != nil {
							written(e)
						}
					}
				}
			case *ast.UnaryExpr:
				if s.Op == token.AND {
					written(s.X)
				}
			}
			return true
		})
	}
	return out
}
