package bindings_test

import (
	"bytes"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// A targets option that maps a source category to a target category the
// target lacks is warned about by both names, each called what it is: the
// target category named by targets, for the source category.
func TestCarryOverTargetsWarnsByBothNames(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	env := newEnv(t, dir)
	defer closeEnv(t, env)
	script := `
local export, import = require("export"), require("import")
local category, creator = require("category"), require("creator")
export.run("source", { file = "out/all.zip" })
import.run("target", { file = "out/all.zip" })
local name
for _, c in ipairs(category.list("source")) do
  if #c.creators > 0 then name = c.name break end
end
print("source category: " .. name)
local r = creator.carry_over("source", "target", { targets = { [name] = "Missing" } })
print("missing: " .. table.concat(r.missing_categories, ","))
`
	var stdout, stderr bytes.Buffer
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "targets.lua", Source: []byte(script)}, pcrt.Options{
		Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock,
	}); err != nil {
		t.Fatalf("targets.lua: %v\n%s", err, stderr.String())
	}
	name, _, _ := strings.Cut(strings.SplitN(stdout.String(), "source category: ", 2)[1], "\n")
	want := `target category "Missing" named by targets for source category "` + name + `" does not exist in pchat19.contoso.com`
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("warnings lack %q:\n%s", want, stderr.String())
	}
	if strings.Contains(stderr.String(), `category "Missing" of`) {
		t.Errorf("a warning calls the target's name a category of the source:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "missing: Missing\n") {
		t.Errorf("missing_categories: want Missing\n%s", stdout.String())
	}
}
