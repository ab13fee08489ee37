package bindings_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestDocsNameEveryModule: the README's list of the modules a script can
// require, and docs/lua-api.md's list of the modules of package bindings,
// are the modules there are. The README's left out pool (and the
// built-in pcmig), so a reader of it never learned of pool.copy_files and
// pool.carry_settings.
func TestDocsNameEveryModule(t *testing.T) {
	t.Parallel()
	var bound []string
	for _, m := range newEnv(t, newLab(t, smallLab(1))).Modules() {
		bound = append(bound, m.Name)
	}
	slices.Sort(bound)
	all := slices.Sorted(slices.Values(append([]string{pcrt.LogModule, pcrt.PcmigModule}, bound...)))
	name := regexp.MustCompile("`([a-z]+)`")
	for _, c := range []struct {
		file, list string
		want       []string
	}{
		{"README.md", `(?s)The modules are (.*?), and ` + "`step", all},
		{filepath.Join("docs", "lua-api.md"), `(?s)the modules of package ` + "`bindings`" + ` \((.*?)\)`, bound},
	} {
		text, err := os.ReadFile(filepath.Join("..", c.file))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(c.list).FindSubmatch(text)
		if m == nil {
			t.Errorf("%s: no list of modules (%s)", c.file, c.list)
			continue
		}
		var got []string
		for _, n := range name.FindAllSubmatch(m[1], -1) {
			got = append(got, string(n[1]))
		}
		slices.Sort(got)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s's modules mismatch (-want +got):\n%s", c.file, diff)
		}
	}
}
