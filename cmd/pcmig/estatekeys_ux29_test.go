package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEstateWithoutAKeyTheRunNeeds: an estate file without source.db
// loaded, and the run stopped in migrate.lua's pre-flight with
// "doctor.require: argument: pool pchat15.contoso.com: db: no dsn and no
// instance"; one without directory or topology stopped with "bad
// argument #1 to load (path expected)": neither named the estate's key.
// source.db (and each sources[i].db) is now checked when the estate is
// loaded, as target.db was; user.load and topology.load without a path
// say that the estate names no directory (topology) and what to give.
func TestEstateWithoutAKeyTheRunNeeds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ line, want string }{
		{`db = "sqlite:source-2015.db",`, `estate.lua: source.db is missing: give the pool's database (sqlite:PATH, sqlserver://... or { instance = "HOST\\INSTANCE", database = "mgc" })`},
		{`directory = "users.csv",`, `user.load: argument: no path, and the estate names no directory: give directory = "users.csv" in the estate file (what Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool,Enabled | Export-Csv users.csv -Encoding UTF8 writes)`},
		{`topology = "topology.xml",`, `topology.load: argument: no path, and the estate names no topology: give topology = "topology.xml" in the estate file (what Get-CsTopology -AsXml writes)`},
	} {
		est := filepath.Join(labEstate(t, "--messages", "20"), "estate.lua")
		src := string(readFile(t, est))
		edited := strings.Replace(src, c.line, "", 1)
		if edited == src {
			t.Fatalf("the lab estate has no line %s", c.line)
		}
		writeFile(t, est, edited)
		_, stderr := mustRun(t, 1, "run", "--estate", est, "--dry-run")
		mustContain(t, "the run of an estate without "+c.line, stderr, c.want)
	}
}
