package bindings_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/bindings"
)

// TestDocsListEveryOption: the options each function takes (optionTables,
// the one list that the functions and validate use) are the options
// docs/pcmig.d.lua declares for it, no more and no fewer, and each is
// named in the function's section of docs/lua-api.md, whose option tables
// name no other.
func TestDocsListEveryOption(t *testing.T) {
	t.Parallel()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	meta, api := strings.Split(read("pcmig.d.lua"), "\n"), read("lua-api.md")
	for name, ot := range bindings.OptionTables() {
		want := slices.Sorted(slices.Values(ot.Keys))
		if got := declaredOptions(t, meta, name, ot.Arg); !slices.Equal(got, want) {
			t.Errorf("%s: docs/pcmig.d.lua declares options %v, the function takes %v", name, got, want)
		}
		section := apiSection(api, name)
		if section == "" {
			t.Errorf("%s: no section in docs/lua-api.md", name)
			continue
		}
		for _, k := range ot.Keys {
			if !regexp.MustCompile("`" + k + `\b|\b` + k + " =").MatchString(section) {
				t.Errorf("%s: docs/lua-api.md does not name option %s", name, k)
			}
		}
		for _, k := range optionRows(section) {
			if !ot.Has(k) {
				t.Errorf("%s: docs/lua-api.md lists option %s, which the function does not take", name, k)
			}
		}
	}
}

// optionRows are the keys in the rows of the option tables of a section
// (the tables headed "| Option |").
func optionRows(section string) []string {
	var keys []string
	in := false
	for _, l := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(l, "| Option |"):
			in = true
		case !strings.HasPrefix(l, "|"):
			in = false
		case in && strings.HasPrefix(l, "| `"):
			k, _, _ := strings.Cut(strings.TrimPrefix(l, "| `"), "`")
			keys = append(keys, k)
		}
	}
	return keys
}

// apiSection is the text of docs/lua-api.md under the heading of the
// function optionTables calls name, up to the next heading.
func apiSection(api, name string) string {
	name = strings.Replace(strings.Replace(name, "topology:", "doc:", 1), "user:", "dir:", 1)
	i := strings.Index(api, "\n### "+name+"(")
	if i < 0 {
		return ""
	}
	rest := api[i+1:]
	if j := strings.Index(rest[4:], "\n#"); j >= 0 {
		rest = rest[:j+4]
	}
	return rest
}

// declaredOptions are the keys of the type docs/pcmig.d.lua gives the
// options argument arg of the function optionTables calls name: an inline
// {key?: type, ...} or a class's fields.
func declaredOptions(t *testing.T, meta []string, name string, arg int) []string {
	t.Helper()
	decl := "function " + name + "("
	if m, fn, ok := strings.Cut(name, ":"); ok {
		decl = "function " + map[string]string{"topology": "TopologyDocument", "user": "Directory"}[m] + ":" + fn + "("
		arg-- // self is not declared
	}
	at := slices.IndexFunc(meta, func(l string) bool { return strings.HasPrefix(l, decl) })
	if at < 0 {
		t.Errorf("%s: docs/pcmig.d.lua does not declare it", name)
		return nil
	}
	var params []string
	for i := at - 1; i >= 0 && strings.HasPrefix(meta[i], "---"); i-- {
		if p, ok := strings.CutPrefix(meta[i], "---@param "); ok {
			params = append([]string{p}, params...)
		}
	}
	if arg > len(params) {
		t.Errorf("%s: docs/pcmig.d.lua declares %d parameters", name, len(params))
		return nil
	}
	_, typ, _ := strings.Cut(params[arg-1], " ")
	var keys []string
	if strings.HasPrefix(typ, "{") {
		inline := typ[1:strings.Index(typ, "}")]
		for _, m := range regexp.MustCompile(`([a-z_]+)\??:`).FindAllStringSubmatch(inline, -1) {
			keys = append(keys, m[1])
		}
	} else {
		class := "---@class " + strings.Fields(typ)[0]
		i := slices.Index(meta, class)
		if i < 0 {
			t.Errorf("%s: docs/pcmig.d.lua has no %q", name, class)
			return nil
		}
		for _, l := range meta[i+1:] {
			f, ok := strings.CutPrefix(l, "---@field ")
			if !ok {
				break
			}
			keys = append(keys, strings.TrimSuffix(strings.Fields(f)[0], "?"))
		}
	}
	slices.Sort(keys)
	return keys
}
