package scripts_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// luacheck returns the path of Debian's lua-check, or skips the test where
// it is not installed (.ci/run installs it).
func luacheck(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("luacheck")
	if err != nil {
		t.Skip("luacheck is not installed (Debian: apt-get install lua-check; .ci/run installs it): the scripts are not linted")
	}
	return path
}

// lint runs luacheck with the published configuration from the
// repository's root on files relative to it.
func lint(t *testing.T, files ...string) (string, error) {
	t.Helper()
	args := append([]string{"--no-cache", "--no-color", "--codes", "--config", "docs/.luacheckrc"}, files...)
	cmd := exec.CommandContext(t.Context(), luacheck(t), args...)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The bundled scripts and the editor annotations pass the published
// configuration.
func TestLuacheckBundledScripts(t *testing.T) {
	out, err := lint(t, "scripts/migrate.lua", "scripts/multipool.lua", "scripts/common/imported.lua", "docs/pcmig.d.lua")
	if err != nil {
		t.Fatalf("luacheck: %v\n%s", err, out)
	}
	if !strings.Contains(out, "0 warnings / 0 errors in 4 files") {
		t.Errorf("luacheck output:\n%s", out)
	}
}

// A script that breaks pcmig's API fails: a library the sandbox does not
// have, a misspelt built-in, a module used without its require, a global
// set by mistake.
func TestLuacheckCatchesBrokenScripts(t *testing.T) {
	script := `local export = require("export")
steps(1)
stepz("export", function()
  export.run("source", { file = os.getenv("ARCHIVE") })
  import.run("target")
  total = 1
end)
`
	name := filepath.Join(t.TempDir(), "broken.lua")
	if err := os.WriteFile(name, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := lint(t, name)
	if err == nil {
		t.Fatalf("luacheck passed a broken script:\n%s", out)
	}
	var got []string
	for _, m := range regexp.MustCompile(`:(\d+):\d+: \((W\d+)\) (.*)`).FindAllStringSubmatch(out, -1) {
		got = append(got, m[1]+" "+m[2]+" "+m[3])
	}
	want := []string{
		"3 W113 accessing undefined variable 'stepz'",
		"4 W113 accessing undefined variable 'os'",
		"5 W113 accessing undefined variable 'import'",
		"6 W111 setting non-standard global variable 'total'",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("luacheck findings mismatch (-want +got):\n%s\n%s", diff, out)
	}
}

// The configuration names exactly the globals the sandbox gives a script.
func TestLuacheckConfigMatchesTheSandbox(t *testing.T) {
	rc, err := os.ReadFile(filepath.Join("..", "docs", ".luacheckrc"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(rc), "sandbox globals: begin")
	block, _, _ = strings.Cut(block, "sandbox globals: end")
	var inConfig []string
	for _, m := range regexp.MustCompile(`"([A-Za-z_]+)"`).FindAllStringSubmatch(block, -1) {
		inConfig = append(inConfig, m[1])
	}
	var out bytes.Buffer
	src := `local out = {} for k in pairs(_G) do table.insert(out, k) end table.sort(out) print(table.concat(out, " "))`
	if _, err := pcrt.Run(context.Background(), pcrt.Script{Name: "globals.lua", Source: []byte(src)}, pcrt.Options{Stdout: &out}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Fields(out.String()), inConfig); diff != "" {
		t.Errorf("docs/.luacheckrc globals differ from the sandbox's (-sandbox +config):\n%s", diff)
	}
}
