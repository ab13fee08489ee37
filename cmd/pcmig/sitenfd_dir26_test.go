package main

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestSiteNameNormalForm: a site whose name has accents ("Zürich Süd",
// precomposed as Get-CsTopology writes it) named in the estate with the
// accents as combining characters (an editor or a copy from a Mac writes
// that form) was refused before step 1: 'unknown site "Zürich Süd" (the
// topology has "Zürich Süd")', the two looking the same. Site names now
// compare in one normal form (NFC), as well as without case: the dry run
// plans the switch of the topology's site.
func TestSiteNameNormalForm(t *testing.T) {
	t.Parallel()
	const site = "Zürich Süd"
	dir := labEstate(t, "--messages", "50")
	topo := filepath.Join(dir, "topology.xml")
	writeFile(t, topo, strings.Replace(string(readFile(t, topo)), "<Name>Redmond</Name>", "<Name>"+norm.NFC.String(site)+"</Name>", 1))
	estFile := filepath.Join(dir, "estate.lua")
	decomposed := norm.NFD.String(site)
	if decomposed == norm.NFC.String(site) {
		t.Fatal("the two forms are the same")
	}
	editEstate(t, estFile, `site = "Redmond",`, `site = "`+decomposed+`",`)
	stdout, stderr := mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run")
	mustContain(t, "dry run", stdout, "default Persistent Chat pool would switch pchat15.contoso.com -> pchat19.contoso.com")
	if strings.Contains(stdout+stderr, "unknown site") {
		t.Errorf("the site was not found:\n%s\n%s", stdout, stderr)
	}

	// A real estate's runbook names the site as the topology (and so
	// Set-CsSite) has it, not as the estate spelt it.
	editEstate(t, estFile, `kind = "lab"`, `kind = "real"`)
	editEstate(t, estFile, `file_store = "filestore-2015",`, "")
	editEstate(t, estFile, `file_store = "filestore-2019",`, `file_store = [[\\fs19.contoso.com\pchat]],`)
	runbook := filepath.Join(t.TempDir(), "rb.ps1")
	mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run", "--runbook", runbook)
	rb := string(readFile(t, runbook))
	mustContain(t, "runbook", rb, "Set-CsSite -Identity 'site:"+norm.NFC.String(site)+"'")
	if strings.Contains(rb, decomposed) {
		t.Errorf("the runbook names the site as the estate spelt it")
	}
}
