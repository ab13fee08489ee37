package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRefusesADirectoryWithNoValidUser: a users.csv whose every row is
// malformed (here the pool column missing from the only row) stops the run
// before its first step, naming the file and the first problem, with the
// target untouched. It ran to EQUAL with exit 0, its move step saying "0
// users homed on fe15.contoso.com moved", which read as done.
func TestRunRefusesADirectoryWithNoValidUser(t *testing.T) {
	t.Parallel()
	dir := labEstate(t)
	writeFile(t, filepath.Join(dir, "users.csv"), "\"SipAddress\",\"RegistrarPool\"\r\n\"sip:a@contoso.com\"\r\n")
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(dir, "estate.lua"))
	if code != exitError {
		t.Errorf("exit %d, want %d\nstdout:\n%s", code, exitError, stdout)
	}
	mustContain(t, "stderr", stderr, "users.csv: no row is a valid user (1 row has a problem; the first: line 2: row has 1 field, the header has 2)", "Export-Csv users.csv -Encoding UTF8")
	if strings.Contains(stdout, "== Step 1/") {
		t.Errorf("the run started its steps:\n%s", stdout)
	}
	if n := queryInt(t, openDB(t, filepath.Join(dir, "target-2019.db")), "SELECT COUNT(*) FROM tblChat"); n != 0 {
		t.Errorf("the refused run wrote %d messages", n)
	}
}
