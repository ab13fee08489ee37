package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorChecksTheTopology: pcmig doctor --estate passed (0 FAIL, exit
// 0) an estate whose topology the run refuses before step 1 - here the
// target pool moved to a second site ("Zürich") that the estate does not
// allow - so the pre-flight an administrator runs the day before said
// ready. The target's report now has a "topology" line: FAIL with the
// run's own reason for what the run refuses (a missing file, a site not in
// it, a pool in another site), OK naming the site's default pool now and
// after the run.
func TestDoctorChecksTheTopology(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	topo := filepath.Join(dir, "topology.xml")
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "OK    topology        topology "+topo+": site Redmond, default Persistent Chat pool pchat15.contoso.com (the run makes it pchat19.contoso.com)")

	orig := string(readFile(t, topo))
	two := strings.Replace(orig, "  </Sites>", "    <CentralSite SiteId=\"2\">\n      <Name>Zürich</Name>\n      <Location/>\n    </CentralSite>\n  </Sites>", 1)
	i := strings.Index(two, `Fqdn="pchat19.contoso.com">`)
	if i < 0 {
		t.Fatal("the lab's topology has no pchat19 cluster")
	}
	// The cluster and every reference to it (the services installed on
	// it) move to site 2.
	j := strings.Index(two[i:], `<ClusterId SiteId="1" Number="`)
	id := two[i+j : i+j+strings.Index(two[i+j:], "/>")+2]
	two = strings.ReplaceAll(two, id, strings.Replace(id, `SiteId="1"`, `SiteId="2"`, 1))
	writeFile(t, topo, two)
	want := "FAIL  topology        the topology cannot make pchat19.contoso.com the default pool of site Redmond: " + topo +
		`: topology: pool is in another site: Persistent Chat pool "pchat19.contoso.com" is in site "Zürich", not "Redmond"`
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, want)
	// The run refuses it with the same reason.
	_, stderr, code := runCmd(t, "run", "--estate", estFile, "--dry-run")
	if code != exitError {
		t.Errorf("run exit %d, want %d", code, exitError)
	}
	mustContain(t, "run", stderr, `Persistent Chat pool "pchat19.contoso.com" is in site "Zürich", not "Redmond"`)
	// allow_other_site lets both through.
	editEstate(t, estFile, "allow_other_site = false", "allow_other_site = true")
	stdout, _ = mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "OK    topology ")

	editEstate(t, estFile, `site = "Redmond"`, `site = "Redmont"`)
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "FAIL  topology        the topology cannot make pchat19.contoso.com the default pool of site Redmont")
}
