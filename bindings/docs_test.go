package bindings_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// luaFunctions lists every function the modules give scripts, as
// "module.name", and the methods of topology documents and user
// directories as "doc:name" and "dir:name".
func luaFunctions(t *testing.T) []string {
	t.Helper()
	dir := newLab(t, smallLab(1))
	env := newEnv(t, dir)
	names := []string{pcrt.LogModule, pcrt.PcmigModule}
	for _, m := range env.Modules() {
		names = append(names, m.Name)
	}
	src := `
local out = {}
local function add(prefix, t)
  for k, v in pairs(t) do
    if type(v) == "function" then table.insert(out, prefix .. k) end
  end
end
for _, name in ipairs({ "` + strings.Join(names, `", "`) + `" }) do
  add(name .. ".", require(name))
end
add("doc:", getmetatable(require("topology").load()).__index)
add("dir:", getmetatable(require("user").load()).__index)
table.sort(out)
print(table.concat(out, "\n"))
`
	var out bytes.Buffer
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "list.lua", Source: []byte(src)},
		pcrt.Options{Modules: env.Modules(), Stdout: &out}); err != nil {
		t.Fatal(err)
	}
	return strings.Fields(out.String())
}

// TestDocsCoverEveryFunction checks that docs/lua-api.md and
// docs/pcmig.d.lua describe every function the modules have, and no
// function they do not have.
func TestDocsCoverEveryFunction(t *testing.T) {
	t.Parallel()
	funcs := luaFunctions(t)
	if len(funcs) < 30 {
		t.Fatalf("found only %d functions: %v", len(funcs), funcs)
	}
	api, err := os.ReadFile(filepath.Join("..", "docs", "lua-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	meta, err := os.ReadFile(filepath.Join("..", "docs", "pcmig.d.lua"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pcrt.Compile("pcmig.d.lua", meta); err != nil {
		t.Errorf("docs/pcmig.d.lua does not compile: %v", err)
	}
	metaName := map[string]string{"doc:": "TopologyDocument:", "dir:": "Directory:"}
	for _, f := range funcs {
		heading := "### " + f + "("
		if strings.HasPrefix(f, "log.") || strings.HasPrefix(f, "pcmig.") {
			heading = f // the built-ins are described together
		}
		if !bytes.Contains(api, []byte(heading)) {
			t.Errorf("docs/lua-api.md does not describe %s (no %q)", f, heading)
		}
		decl := "function " + f + "("
		for short, long := range metaName {
			if strings.HasPrefix(f, short) {
				decl = "function " + long + strings.TrimPrefix(f, short) + "("
			}
		}
		if !bytes.Contains(meta, []byte(decl)) {
			t.Errorf("docs/pcmig.d.lua does not declare %s (no %q)", f, decl)
		}
	}
	// And nothing that is not there.
	name := regexp.MustCompile(`\b[a-z_]+[.:][a-z_]+\b`)
	for _, line := range strings.Split(string(api), "\n") {
		if !strings.HasPrefix(line, "### ") {
			continue
		}
		for _, f := range name.FindAllString(line, -1) {
			if !slices.Contains(funcs, f) {
				t.Errorf("docs/lua-api.md describes %s, which no module has", f)
			}
		}
	}
}
