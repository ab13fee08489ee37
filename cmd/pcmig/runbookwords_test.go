package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// onePoolEstate rewrites the lab estate in dir for multipool.lua with its
// one source pool, of the given kind ("real": no file store paths, which
// the runbook looks up).
func onePoolEstate(t *testing.T, dir, kind string) string {
	t.Helper()
	stores := [2]string{`, file_store = "filestore-2015"`, `, file_store = "filestore-2019"`}
	if kind == "real" {
		stores = [2]string{}
	}
	est := filepath.Join(dir, "estate-one.lua")
	writeFile(t, est, `return {
  name = "One pool", kind = "`+kind+`", site = "Redmond",
  topology = "topology.xml", directory = "users.csv", archive = "archive/all.zip", pool_settings = "pool-settings.json",
  sources = {
    { name = "emea", pool = "pchat15.contoso.com", registrar = "fe15.contoso.com",
      db = "sqlite:source-2015.db", archive = "archive/emea.zip"`+stores[0]+` },
  },
  target = { pool = "pchat19.contoso.com", registrar = "fe19.contoso.com", db = "sqlite:target-2019.db"`+stores[1]+` },
}
`)
	return est
}

// TestBundledScriptsSayWhatTheRunbookWillDo: in a real estate the site's
// default pool and the users' home pool change when the administrator runs
// the runbook, not during `pcmig run`; and a dry run changes nothing. The
// bundled scripts said otherwise: migrate.lua printed "57 users homed on
// fe15.contoso.com moved to fe19.contoso.com" and "default Persistent Chat
// pool switched" for a real estate, and multipool.lua printed "site Redmond
// now defaults to" and "users moved to" in a dry run and in a real estate.
func TestBundledScriptsSayWhatTheRunbookWillDo(t *testing.T) {
	t.Parallel()
	lies := []string{" moved to fe19", "now defaults to", "pool switched"}
	noLies := func(t *testing.T, what, stdout string) {
		t.Helper()
		for _, l := range lies {
			if strings.Contains(stdout, l) {
				t.Errorf("%s says %q:\n%s", what, l, stdout)
			}
		}
	}
	t.Run("migrate real", func(t *testing.T) {
		t.Parallel()
		dir := labEstate(t, "--messages", "100")
		est := filepath.Join(dir, "estate.lua")
		writeFile(t, est, strings.Replace(string(readFile(t, est)), `kind = "lab",`, `kind = "real",`, 1))
		stdout, _ := mustRun(t, 0, "run", "--estate", est)
		noLies(t, "the run", stdout)
		mustContain(t, "the run", stdout,
			"site Redmond: default Persistent Chat pool to switch pchat15.contoso.com -> pchat19.contoso.com by the runbook's Set-CsSite",
			"homed on fe15.contoso.com to move to fe19.contoso.com by the runbook's Move-CsUser")
	})
	t.Run("multipool dry run", func(t *testing.T) {
		t.Parallel()
		dir := labEstate(t, "--messages", "100")
		stdout, _ := mustRun(t, exitPending, "run", "multipool", "--estate", onePoolEstate(t, dir, "lab"), "--dry-run")
		noLies(t, "the dry run", stdout)
		mustContain(t, "the dry run", stdout, "site Redmond would default to pchat19.contoso.com", "would move to fe19.contoso.com")
	})
	t.Run("multipool real", func(t *testing.T) {
		t.Parallel()
		dir := labEstate(t, "--messages", "100")
		stdout, _ := mustRun(t, 0, "run", "multipool", "--estate", onePoolEstate(t, dir, "real"))
		noLies(t, "the run", stdout)
		mustContain(t, "the run", stdout,
			"site Redmond: default Persistent Chat pool to switch to pchat19.contoso.com by the runbook's Set-CsSite",
			"to move to fe19.contoso.com by the runbook's Move-CsUser")
	})
}
