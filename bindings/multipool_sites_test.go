package bindings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A site whose default Persistent Chat pool is one of the sources, other
// than the estate's site that multipool.lua switches, would lose Persistent
// Chat when that source is removed: the run warns about it.
func TestMultipoolWarnsAboutAnotherSiteOnASource(t *testing.T) {
	t.Parallel()
	dir, _ := twoSources(t, "merge")
	p := filepath.Join(dir, "topology.xml")
	old, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dublin := `<CentralSite SiteId="2"><Name>Dublin</Name><Location/>` +
		`<PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="pchat-amer.contoso.com"/></CentralSite>`
	s := strings.Replace(string(old), "</Sites>", dublin+"</Sites>", 1)
	if s == string(old) {
		t.Fatal("topology.xml has no </Sites>")
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	env := newEnv(t, dir)
	rep, _ := run(t, env, "multipool.lua", true)
	closeEnv(t, env)
	var warnings []string
	for _, st := range rep.Steps {
		warnings = append(warnings, st.Warnings...)
	}
	want := "site Dublin still defaults to pchat-amer.contoso.com, a pool being migrated"
	if !strings.Contains(strings.Join(warnings, "\n"), want) {
		t.Errorf("no warning %q in %q", want, warnings)
	}
}
