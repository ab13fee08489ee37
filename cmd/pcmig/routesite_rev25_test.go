package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRoutedSiteStillOnTheSourceWarnsTheSuccessorOnly: in a routing whose
// successor (pchat19, site Redmond) has not run yet, every run of another
// estate (emea, site London) warned "site Redmond still defaults to
// pchat15..., switch it too, or its users lose Persistent Chat", though
// switching Redmond is the successor's estate's business and emea's run
// can do nothing about it. Now emea's run says so in a plain line; the
// successor's run, when it names no site and Redmond is still on the
// source, still warns.
func TestRoutedSiteStillOnTheSourceWarnsTheSuccessorOnly(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	const warned = "WARN site Redmond still defaults to pchat15.contoso.com"
	stdout, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(dir, "emea.lua"))
	if strings.Contains(stdout+stderr, warned) {
		t.Errorf("emea's run (not the successor) warns about Redmond:\n%s", stderr)
	}
	mustContain(t, "emea's run", stdout, "site Redmond still defaults to pchat15.contoso.com, the pool being migrated: the estate that names it switches it")

	amer := filepath.Join(dir, "amer.lua")
	src := string(readFile(t, amer))
	if !strings.Contains(src, `site = "Redmond", `) {
		t.Fatal(`amer.lua has no site = "Redmond"`)
	}
	writeFile(t, amer, strings.Replace(src, `site = "Redmond", `, "", 1))
	stdout, stderr = mustRun(t, 0, "run", "--estate", amer)
	mustContain(t, "amer's run without a site", stdout+stderr, warned)
}
