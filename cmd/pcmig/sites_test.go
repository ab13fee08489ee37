package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A pool can be the default of every site (Topology Builder's "Use this
// pool as default for all sites"). The bundled scripts switch the estate's
// site; another site whose default is still the migrated pool would lose
// Persistent Chat when that pool is removed, so the run warns about it.
func TestAnotherSiteOnTheSourcePoolIsWarned(t *testing.T) {
	t.Parallel()
	est := labEstate(t)
	p := filepath.Join(est, "topology.xml")
	old := string(readFile(t, p))
	dublin := `<CentralSite SiteId="2"><Name>Dublin</Name><Location/>` +
		`<PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="pchat15.contoso.com"/></CentralSite>`
	s := strings.Replace(old, "</Sites>", dublin+"</Sites>", 1)
	if s == old {
		t.Fatal("topology.xml has no </Sites>")
	}
	writeFile(t, p, s)
	stdout, stderr := mustRun(t, exitPending, "run", "--estate", filepath.Join(est, "estate.lua"), "--dry-run")
	want := "site Dublin still defaults to pchat15.contoso.com, the pool being migrated"
	if !strings.Contains(stdout+stderr, want) {
		t.Errorf("the run does not warn %q:\nstdout:\n%s\nstderr:\n%s", want, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "site Redmond still defaults") {
		t.Error("the switched site is warned about")
	}
}
