package runtime

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The Lua 5.1 test suite, as shipped in the gopher-lua module
// (_lua5.1-tests), runs as a conformance test inside pcmig's sandbox. The
// files are read from the module folder, never copied. What a file needs
// and the sandbox removes by design (debug, os, io), or what gopher-lua does
// differently from Lua 5.1, is changed before the run, each change listed
// below with its reason:
//
//   - skip comments out a range of lines (their first and last lines are
//     given and checked, so a change of the files shows here);
//   - change replaces text within one line;
//   - a prelude defines, on the file's first line, the little a file needs
//     from a removed library (os.clock for timings, os.setlocale to report
//     that no locale can be set).
//
// Line numbers never shift. Every file runs with _soft = true, the suite's
// own switch for its lighter variant (sort.lua sorts fewer elements,
// math.lua stops before its io part).
//
// TestLua51SuitePlain (conformance_plain_test.go, build tag soak) runs the
// same files unchanged in a plain gopher-lua state, for comparison;
// docs/lua-runtime.md gives the counts.

// suiteEdit changes the lines from..to (1-based) of a file.
type suiteEdit struct {
	from, to    int
	first, last string // the lines from and to, as the file has them
	old, new    string // for a change: text of line from and its replacement
	why         string
}

// skip comments out lines from..to, whose first and last lines must read
// first and last.
func skip(from, to int, first, last, why string) suiteEdit {
	return suiteEdit{from: from, to: to, first: first, last: last, why: why}
}

// change replaces old by new in line n.
func change(n int, old, new, why string) suiteEdit {
	return suiteEdit{from: n, to: n, old: old, new: new, why: why}
}

// Why passages are changed. The sandbox's own removals come first; the
// others are where gopher-lua differs from Lua 5.1 (plain gopher-lua fails
// the same lines).
const (
	noDebug = "needs the debug library, which the sandbox removes by design"
	noOS    = "needs the os library, which the sandbox removes by design"
	noIO    = "needs the io library, which the sandbox removes by design"

	gluaSyntaxMessages  = "gopher-lua words syntax errors differently (no [string \"...\"] chunk name, no near 'token')"
	gluaEmptyStatements = "gopher-lua accepts empty statements (;), as Lua 5.2 does"
	gluaAmbiguousCall   = "gopher-lua accepts a call whose arguments start on the next line, which Lua 5.1 calls ambiguous"
	gluaCallMessage     = "gopher-lua's message for calling a value it cannot name is 'attempt to call a non-function object', without the value's type"
	gluaArgumentName    = "gopher-lua names the function of a bad argument without quotes (bad argument #1 to sin)"
	gluaForLine         = "gopher-lua reports an error in a for statement split over lines on its first line"
	gluaErrorInHandler  = "gopher-lua passes on a failing message handler's own error, not 'error in error handling'"
	gluaSyntaxLevels    = "gopher-lua as carried allows 10,000 syntax levels (Lua 5.1: 200)"
	gluaUpvalueLimit    = "gopher-lua allows more than Lua 5.1's 60 upvalues in a function"
	gluaLocalsLimit     = "gopher-lua reports 300 locals in an unfinished chunk as a syntax error at its end, not as a limit on line 2"
	gluaForeach         = "gopher-lua lacks table.foreach and table.foreachi (deprecated in Lua 5.1)"
)

// suiteFile is one file of the suite and what changes before it runs in
// the sandbox.
type suiteFile struct {
	name    string
	prelude string // Lua on the first line, no newline
	why     string // why the prelude is needed
	edits   []suiteEdit
}

var suiteFiles = []suiteFile{
	{name: "closure", edits: []suiteEdit{
		skip(277, 278, "  assert(debug.getinfo(1).currentline == debug.getinfo(foo).linedefined + 1)",
			"  assert(debug.getinfo(2).currentline == debug.getinfo(goo).linedefined)", noDebug),
		skip(412, 422, "-- coroutine environments", "assert(select(2, coroutine.resume(co)) == a.a)",
			noDebug+" (debug.setfenv on a coroutine)"),
	}},
	{name: "calls", edits: []suiteEdit{
		skip(241, 241, `assert(debug.getinfo(a).source == "modname")`, "", noDebug),
	}},
	{name: "errors", edits: []suiteEdit{
		skip(38, 38, `checksyntax("break label", "", "label", 1)`, "", gluaSyntaxMessages),
		skip(39, 41, `assert(doit";")`, `assert(doit"return;;")`, gluaEmptyStatements),
		skip(44, 44, `assert(doit"a=math.sin\n(3)")`, "", gluaAmbiguousCall),
		skip(48, 51, "checksyntax([[", `]], "'}' expected (to close '{' at line 1)", "<eof>", 3)`, gluaSyntaxMessages),
		skip(62, 62, `checkmessage("a={13}; local bbbb=1; a[bbbb](3)", "number")`, "", gluaCallMessage),
		skip(103, 105, `checkmessage([[  -- tail call`, `]], "'sin'")`, gluaArgumentName),
		skip(111, 111, `checkmessage("getmetatable(io.stdin).__gc()", "no value")`, "", noIO),
		skip(126, 126, `assert(lineerror"\n\n for k,v in \n 3 \n do \n print(k) \n end" == 4)`, "", gluaForLine),
		change(142, `local l = debug.getinfo(1, "l").currentline; `, "", noDebug+" (the line is recorded for the traceback test below)"),
		skip(150, 167, "-- teste de linhas em erro", "assert(i > 15)", noDebug+" (debug.getinfo, debug.traceback)"),
		skip(171, 172, "local res, msg = xpcall(error, error)", "assert(not res and type(msg) == 'string')", gluaErrorInHandler),
		skip(190, 193, `checksyntax("syntax error", "", "error", 1)`, `checksyntax("'aa'", "", "'aa'", 1)`, gluaSyntaxMessages),
		skip(196, 196, `checksyntax("\255a = 1", "", "\255", 1)`, "", gluaSyntaxMessages),
		skip(211, 224, "local function testrep (init, rep)", `testrep("a=", "a^")`, gluaSyntaxLevels),
		skip(229, 238, `local  s = "function foo ()\n  local "`, `assert(string.find(b, "line 3"))`, gluaUpvalueLimit),
		skip(241, 247, `s = "\nfunction foo ()\n  local "`, `assert(string.find(b, "line 2"))`, gluaLocalsLimit),
	}},
	{name: "pm"},
	{name: "strings",
		prelude: `local os = { setlocale = function() return false end };`,
		why:     noOS + ": no locale can be set, as on a system without the locales the file tries"},
	{name: "nextvar", edits: []suiteEdit{
		skip(173, 188, "a = {x=90, y=8, z=23}", "       end) == 'b')", gluaForeach),
		change(252, "table.foreach(a, function (k,v) b[k] = v end)", "for k, v in pairs(a) do b[k] = v end", gluaForeach+" (the same loop with pairs)"),
	}},
	{name: "constructs", edits: []suiteEdit{
		skip(189, 189, `  assert(debug.getinfo(1, "n").name == 'F')`, "", noDebug),
	}},
	{name: "sort",
		prelude: `local os = { clock = function() return 0 end };`,
		why:     noOS + "; sort.lua uses os.clock only to print timings"},
	{name: "math"},
	{name: "vararg"},
	{name: "locals"},
	{name: "events", edits: []suiteEdit{
		skip(331, 357, "mt = {}", "debug.setmetatable(nil, {})", noDebug+" (debug.setmetatable sets the metatables of basic types)"),
	}},
	{name: "literals",
		prelude: `local os = { setlocale = function() return false end };`,
		why:     noOS + ": no locale can be set, as on a system without the pt_BR locale",
		edits: []suiteEdit{
			change(112, "return debug.getinfo(1).currentline", "return nil", noDebug+" (the chunk reported its line count)"),
			change(117, "  assert(dostring(prog) == nn)", "  dostring(prog)", noDebug+" (the line count is not checked; the values still are)"),
		}},
}

// suiteDir is the _lua5.1-tests folder of the gopher-lua module in use.
func suiteDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/gopher-lua").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/yuin/gopher-lua: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "_lua5.1-tests")
}

// sandboxSource returns the file's text with its edits and prelude.
func (f suiteFile) sandboxSource(t *testing.T, src string) string {
	t.Helper()
	lines := strings.Split(src, "\n")
	for _, e := range f.edits {
		if e.from < 1 || e.to > len(lines) || e.from > e.to {
			t.Fatalf("%s.lua: lines %d-%d do not exist (%d lines)", f.name, e.from, e.to, len(lines))
		}
		if e.first == "" && e.old == "" {
			t.Fatalf("%s.lua:%d: an edit without the text it changes", f.name, e.from)
		}
		if e.old != "" {
			if !strings.Contains(lines[e.from-1], e.old) {
				t.Fatalf("%s.lua:%d reads %q, which lacks %q (%s)", f.name, e.from, lines[e.from-1], e.old, e.why)
			}
			lines[e.from-1] = strings.Replace(lines[e.from-1], e.old, e.new, 1)
			continue
		}
		last := e.last
		if e.to == e.from {
			last = e.first
		}
		if lines[e.from-1] != e.first || (e.last != "" && lines[e.to-1] != last) {
			t.Fatalf("%s.lua: lines %d-%d read %q ... %q, want %q ... %q (%s)", f.name, e.from, e.to, lines[e.from-1], lines[e.to-1], e.first, last, e.why)
		}
		for i := e.from - 1; i < e.to; i++ {
			lines[i] = "-- [pcmig: skipped] " + lines[i]
		}
	}
	return "_soft = true; " + f.prelude + " " + strings.Join(lines, "\n")
}

func TestLua51Suite(t *testing.T) {
	dir := suiteDir(t)
	for _, f := range suiteFiles {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, f.name+".lua"))
			if err != nil {
				t.Fatal(err)
			}
			src := f.sandboxSource(t, string(data))
			var out bytes.Buffer
			_, err = Run(context.Background(), Script{Name: f.name + ".lua", Source: []byte(src)},
				Options{Stdout: &out, Stderr: &out, Timeout: 2 * time.Minute})
			if err != nil {
				t.Errorf("%s.lua in the sandbox: %v\noutput:\n%s", f.name, err, out.String())
			}
		})
	}
}
