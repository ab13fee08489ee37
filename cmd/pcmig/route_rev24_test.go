package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRoutedCopyPlanNamesTheScope: with export.scope the plan and the
// report's action for the file copy said "copy 14 of the 14 uploaded files
// of pchat15.contoso.com", though pchat15's store holds 55: the 14 are the
// files the scope's rooms link to, and the line now says so.
func TestRoutedCopyPlanNamesTheScope(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	stdout, _ := mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "emea.lua"), "--dry-run")
	var line string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, "pool.copy files") {
			line = l
		}
	}
	mustContain(t, "plan line", line, "uploaded files of pchat15.contoso.com linked from the rooms of Engineering, Sales into the file store of pchat19-emea.contoso.com")
}

// TestRoutedScopeNamesMatchAsTheExportMatches: export.run takes a scope
// name as the source database compares names (store.NameKey: "MÄNNISKOR &
// KULTUR" is Människor & Kultur), but migrate.lua matched them with Lua's
// string.lower, which lowers ASCII only. The export step then named the
// category it had just exported among those "not migrated by this estate"
// (an administrator reading it would route it to a second pool as well).
// Now the step names only the categories the export left out.
func TestRoutedScopeNamesMatchAsTheExportMatches(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	amer := filepath.Join(dir, "amer.lua")
	writeFile(t, amer, strings.Replace(string(readFile(t, amer)), `"Människor & Kultur"`, `"MÄNNISKOR & KULTUR"`, 1))
	stdout, _ := mustRun(t, exitPending, "run", "--estate", amer, "--dry-run")
	mustContain(t, "amer dry run", stdout, "would export 69 principals, 4 categories",
		`2 categories of pchat15.contoso.com not in export.scope, not migrated by this estate: "Engineering", "Sales"`+"\n",
		"4 of 4 categories have a creator who can create rooms")
}

// TestRoutesMatchNamesAsTheExportMatches: migrate.lua's check of routes
// (every source category routed to one pool, none the source lacks)
// matched names with Lua's string.lower, which lowers ASCII only, while
// the export takes a name as the source database compares it: routes
// naming "MÄNNISKOR & KULTUR" was refused before step 1 ("routes names 1
// category that pchat15.contoso.com does not have", and Människor & Kultur
// "routed to no pool"), though the export takes that category. (The
// dangerous side of the same matching: on a case-sensitive source, routes
// naming Sales let a category SALES pass as routed, and no estate migrated
// it.) Now the check finds each routed name as the export does.
func TestRoutesMatchNamesAsTheExportMatches(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, strings.Replace(routesBoth, `"Människor & Kultur"`, `"MÄNNISKOR & KULTUR"`, 1))
	stdout, _ := mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "amer.lua"), "--dry-run")
	mustContain(t, "amer dry run", stdout,
		"routes: 4 of the 6 categories of pchat15.contoso.com go to pchat19.contoso.com (this estate), the other 2 to pchat19-emea.contoso.com",
		"would export 69 principals, 4 categories",
		`2 categories of pchat15.contoso.com not in export.scope, not migrated by this estate: "Engineering", "Sales"`+"\n")
}

// TestRoutesRefuseOneCategoryUnderTwoNames: two routed names that the
// estate's check (without case) holds apart but the source finds as one
// category ("Sales" and "Sales ": names compare without trailing spaces)
// are refused before step 1, as a category named twice: else that
// category would be imported into both pools.
func TestRoutesRefuseOneCategoryUnderTwoNames(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, strings.Replace(routesBoth, `"Finance", "Support"`, `"Finance", "Sales ", "Support"`, 1))
	_, stderr := mustRun(t, 1, "run", "--estate", filepath.Join(dir, "amer.lua"), "--dry-run")
	mustContain(t, "amer dry run", stderr,
		`validation: routes names 1 category of pchat15.contoso.com twice, as pchat15.contoso.com compares names: "Sales" (routed to pchat19-emea.contoso.com and to pchat19.contoso.com); a category belongs to exactly one pool`)
}

// TestWholePoolEstateWithoutRegistrarWarns: since f759102 an estate whose
// target has no registrar moves no user (of several estates routing one
// source's categories, one moves them). An ordinary estate that migrates
// the whole source with target.registrar left out then finished, exit 0,
// with one console line in step 7 and nothing in the report: its users
// stayed on the old registrar, and no other estate moves them. Now that
// is a warning (console and report).
func TestWholePoolEstateWithoutRegistrarWarns(t *testing.T) {
	t.Parallel()
	dir := labEstate(t)
	est := filepath.Join(dir, "estate.lua")
	src := string(readFile(t, est))
	if !strings.Contains(src, `registrar = "fe19.contoso.com",`) {
		t.Fatalf("estate.lua has no target registrar line:\n%s", src)
	}
	writeFile(t, est, strings.Replace(src, `registrar = "fe19.contoso.com",`, "", 1))
	rep := filepath.Join(dir, "run.json")
	_, stderr := mustRun(t, 0, "run", "--estate", est, "--report", rep)
	want := "the estate gives the target no registrar: no user is moved (57 users are homed on fe15.contoso.com); this estate migrates every category of pchat15.contoso.com"
	mustContain(t, "run", stderr, "WARN "+want)
	mustContain(t, "report", string(readFile(t, rep)), want)
}

// TestRoutedResumeRefusesAnotherScope: a routed estate's run killed
// after its export; the routes were then edited to send Sales to the other
// pool. --resume went on with the new scope: the archive (and the import,
// had it finished) held Sales, the file copy and the reconciliation took
// the new scope, and the other estate's run would import Sales into its
// pool as well. The export's scope is now part of what the run journal
// records the run worked on, so the resume is refused, naming the change.
func TestRoutedResumeRefusesAnotherScope(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	routes := useRoutes(t, dir, routesBoth)
	emea := filepath.Join(dir, "emea.lua")
	c := startChild(t, "run", "--estate", emea)
	c.waitFor(t, "== Step 2/10: import into the target pool ==", time.Minute)
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	writeFile(t, routes, strings.Replace(strings.Replace(routesBoth, `{ "Engineering", "Sales" }`, `{ "Engineering" }`, 1),
		`"Finance", "Support"`, `"Finance", "Sales", "Support"`, 1))
	_, stderr := mustRun(t, 1, "run", "--estate", emea, "--resume")
	mustContain(t, "resume", stderr, "the estate changed since the run that wrote the journal", "export scope: was Engineering, Sales, now Engineering")
}
