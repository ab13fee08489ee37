package bindings_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pcmig/pcmig/bindings"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestValidateKnowsEveryModule: validate takes each module's names from its
// loader (as pcmig validate does, with no estate), so a misspelt function
// of every module is reported; only the estate, whose table is the estate
// file's settings, is not checked.
func TestValidateKnowsEveryModule(t *testing.T) {
	t.Parallel()
	env := &bindings.Env{}
	var unchecked []string
	for _, m := range env.Modules() {
		src := fmt.Sprintf("local m = require(%q)\nm.no_such_function()\n", m.Name)
		err := pcrt.Validate(pcrt.Script{Name: "m.lua", Source: []byte(src)}, pcrt.Options{Modules: env.Modules()})
		want := "m.lua:2:1: not_found: m.no_such_function: the " + m.Name + " module has no function no_such_function"
		switch {
		case err == nil:
			unchecked = append(unchecked, m.Name)
		case !strings.HasPrefix(err.Error(), want):
			t.Errorf("module %s: validate error %q, want it to start with %q", m.Name, err, want)
		}
	}
	if !slices.Equal(unchecked, []string{"estate"}) {
		t.Errorf("modules whose names validate does not check: %q, want only estate", unchecked)
	}
}

// docsPreamble is docs/lua-api.md's list of requires, which its examples
// assume.
const docsPreamble = "Scripts `require` the modules they use:"

// TestDocsLuaExamplesValidate: every Lua example in docs/ compiles and uses
// only names the modules have (the examples of lua-api.md with its list of
// requires in front). An example that is a fragment (function() ... end)
// is listed here.
func TestDocsLuaExamplesValidate(t *testing.T) {
	t.Parallel()
	fragments := map[string]bool{
		`step("export categories", function() ... end)`: true,
	}
	docs, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```lua\n(.*?)```")
	env := &bindings.Env{}
	opts := pcrt.Options{Modules: env.Modules(),
		// lua-runtime.md's Lua test example requires the test framework's module.
		BundledFS: fstest.MapFS{"expect.lua": {Data: []byte("return {}\n")}}}
	checked := 0
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		preamble := ""
		if _, after, ok := strings.Cut(string(text), docsPreamble); ok {
			if m := block.FindStringSubmatch(after); m != nil {
				preamble = m[1]
			}
		}
		for _, m := range block.FindAllStringSubmatchIndex(string(text), -1) {
			src := string(text[m[2]:m[3]])
			line := strings.Count(string(text[:m[2]]), "\n") + 1
			if slices.ContainsFunc(strings.Split(src, "\n"), func(l string) bool { return fragments[strings.TrimSpace(l)] }) {
				continue
			}
			// The preamble goes on line 1 and the example on its own
			// lines, so that problems name the line in the document.
			full := strings.ReplaceAll(preamble, "\n", " ") + strings.Repeat("\n", line-1) + src
			name := filepath.Base(doc)
			if err := pcrt.Validate(pcrt.Script{Name: name, Source: []byte(full)}, opts); err != nil {
				t.Errorf("docs/%s example at line %d: %v", name, line, err)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d Lua examples", checked)
	}
}
