package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLServerSecurityWarningsHaveOnePrefix: the warnings about a SQL
// Server connection whose certificate is not checked or whose traffic is
// not encrypted read with one prefix wherever they are printed: the
// command's "pcmig: warning: ", the doctor's WARN column, the run log's
// WARN. They read "WARNING: ..." on their own, "WARN  connection
// WARNING: ..." in the doctor and "WARN WARNING: ..." in a run's log.
// No SQL Server is needed: the warnings come before the connection
// (127.0.0.1,1 refuses it at once).
func TestSQLServerSecurityWarningsHaveOnePrefix(t *testing.T) {
	t.Parallel()
	flags := []string{"--db-instance", "127.0.0.1,1", "--db-name", "mgc", "--db-trust-server-certificate", "--db-encrypt", "false"}
	est := labEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	editEstate(t, estFile, `db = "sqlite:source-2015.db",`,
		`db = { instance = "127.0.0.1,1", database = "mgc", trust_server_certificate = true, encrypt = "false" },`)
	script := filepath.Join(est, "list.lua")
	writeFile(t, script, "require(\"category\").list(\"source\")\n")
	for _, tc := range []struct {
		args   []string
		prefix string // of each warning's line
	}{
		{append([]string{"inventory"}, flags...), "pcmig: warning: sqlserver 127.0.0.1,1 database mgc: "},
		{append([]string{"doctor"}, flags...), "WARN  connection      sqlserver 127.0.0.1,1 database mgc: "},
		{[]string{"run", "--estate", estFile, "--dry-run"}, "WARN doctor sqlserver 127.0.0.1,1 database mgc: WARN connection: sqlserver 127.0.0.1,1 database mgc: "},
		{[]string{"run", script, "--estate", estFile}, "WARN sqlserver 127.0.0.1,1 database mgc: "},
	} {
		stdout, stderr, _ := runCmd(t, tc.args...)
		out := stdout + stderr
		var seen int
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(line, "certificate is not checked") && !strings.Contains(line, "only the login is encrypted") {
				continue
			}
			if strings.HasPrefix(line, tc.prefix) {
				seen++
			}
			if strings.Contains(strings.ToLower(line), "warning: sqlserver") && !strings.HasPrefix(line, "pcmig: warning: sqlserver") ||
				strings.Contains(line, "WARNING") {
				t.Errorf("%s: a doubled prefix: %q", tc.args[0], line)
			}
		}
		if seen < 2 {
			t.Errorf("%s: want both warnings on lines starting %q:\n%s", tc.args[0], tc.prefix, out)
		}
	}
}
