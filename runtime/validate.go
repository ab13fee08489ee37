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
	_, _, err := compile(name, src)
	return err
}

// compile decodes src (see decodeSource), parses and compiles it, and
// returns the syntax tree and the decoded text.
func compile(name string, src []byte) ([]ast.Stmt, []byte, error) {
	src, err := decodeSource(name, src)
	if err != nil {
		return nil, nil, err
	}
	chunk, err := parse.Parse(bytes.NewReader(src), name)
	if err == nil {
		_, err = lua.Compile(chunk, name)
	}
	if err != nil {
		se := syntaxError(err, src)
		if se.File == "" {
			se.File = name
		}
		return nil, nil, se
	}
	return chunk, src, nil
}

// Validate checks script without running it: it compiles the script and,
// following every require with a literal name, the bundled and local
// modules it loads, and reports each required module that neither
// opts.Modules, the built-in modules, opts.BundledFS nor script.Dir
// provides, and each module.name or module:name whose name the Go module
// does not have, and each constant key of an options table written in a
// call that the function does not take (see apiChecker). Each problem is a *ScriptError naming
// file and line (and column, for names); several are joined with
// errors.Join.
func Validate(script Script, opts Options) error {
	v, err := walkScript(script, opts)
	if err != nil {
		return err
	}
	errs := append(v.errs, v.api.findings(v.files, v.complete())...)
	return errors.Join(errs...)
}

// checkScriptFields is the part of [Validate] that [Run] does before the
// script starts: the names the script and the modules it requires use from
// Go modules. A file that does not compile or is not found is left to Run
// (or Validate) to report; the names are then not checked.
func checkScriptFields(script Script, opts Options) error {
	v, err := walkScript(script, opts)
	if err != nil {
		return err
	}
	errs := v.api.findings(v.files, v.complete())
	if len(errs) == 1 {
		return errs[0] // a lone *ScriptError, as Run returns
	}
	return errors.Join(errs...)
}

// walkScript compiles script and every module it requires with a literal
// name that is a file, collecting the files and the problems.
func walkScript(script Script, opts Options) (*validator, error) {
	res, err := newResolver(script, opts)
	if err != nil {
		return nil, err
	}
	defer res.close()
	res.preloaded = map[string]bool{LogModule: true, PcmigModule: true}
	for _, name := range stdModules {
		res.preloaded[name] = true
	}
	for _, m := range opts.Modules {
		res.preloaded[m.Name] = true
	}
	v := &validator{res: res, seen: map[string]bool{}, api: newAPIChecker(opts.Modules)}
	v.check(script.Name, script.Source)
	return v, nil
}

type validator struct {
	res   *resolver
	seen  map[string]bool
	errs  []error
	api   *apiChecker
	files []*apiFile // the files that compiled, script first
}

// complete says whether every file was found and compiled.
func (v *validator) complete() bool { return len(v.errs) == 0 }

func (v *validator) check(name string, src []byte) {
	chunk, src, err := compile(name, src)
	if err != nil {
		v.errs = append(v.errs, err)
		return
	}
	f := &apiFile{name: name, src: src, chunk: chunk}
	v.files = append(v.files, f)
	for _, req := range v.api.walk(f) {
		if v.res.preloaded[req.name] || v.seen[req.name] {
			continue
		}
		v.seen[req.name] = true
		chunkName, modSrc, found, err := v.res.source(req.name)
		switch {
		case errors.Is(err, errShadowed):
			v.errs = append(v.errs, &ScriptError{File: name, Line: req.line, Kind: KindConflict, Op: "require", Message: err.Error()})
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
