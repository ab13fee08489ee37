package main

import (
	"strings"
	"testing"
)

// TestDSNQueryPairsDroppedOrSplitAreRefused: Go's URL parsing (and so
// go-mssqldb) drops without a word a query pair holding a ";" or a bad
// %-escape, and a bare & in a password splits it into a key the driver
// does not read. Observed on 6d39954: database=mgc_rehearsalQ;encrypt=true
// opened mgc (the pair dropped, pcmig's database=mgc added), a password
// "Secr%t" was left out, and password=Abc&Sekr3tTail was refused naming the
// key "Sekr3tTail", the password's own tail, in the error and in the
// redacted DSN. Each is now refused before any connection, showing none of
// the values.
func TestDSNQueryPairsDroppedOrSplitAreRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		dsn, want string
		secrets   []string
	}{
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?database=mgc_rehearsalQ;encrypt=true&dial+timeout=1", "holds a ;", []string{"Passw0rdQ", "mgc_rehearsalQ"}},
		{"sqlserver://pcmig@127.0.0.1:1?dial+timeout=1&password=Passw0rdQ;x", "holds a ;", []string{"Passw0rdQ"}},
		{"sqlserver://pcmig@127.0.0.1:1?dial+timeout=1&password=Secr%t0Q", "holds a % not followed", []string{"Secr", "t0Q"}},
		{"sqlserver://pcmig@127.0.0.1:1?password=Abc0Q&Sekr3tTailQ&dial+timeout=1", "write a & in a value as %26", []string{"Abc0Q", "Sekr3tTailQ"}},
		{"sqlserver://pcmig@127.0.0.1:1?database=mgc&password=Abc0Q&DefQ=Sekr3tQ&dial+timeout=1", "write a & in a value as %26", []string{"Abc0Q", "DefQ", "Sekr3tQ"}},
	} {
		out, stderr, code := runCmd(t, "inventory", "--db", tt.dsn)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d\n%s", tt.dsn, code, exitError, stderr)
		}
		mustContain(t, "refusal of "+tt.dsn, stderr, "malformed SQL Server DSN", tt.want)
		if strings.Contains(stderr, "network") || strings.Contains(stderr, "connection refused") {
			t.Errorf("%s: a connection was tried:\n%s", tt.dsn, stderr)
		}
		for _, secret := range tt.secrets {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("%s: %s shows:\n%s%s", tt.dsn, secret, out, stderr)
			}
		}
	}
	// A misspelt key elsewhere is still named; one right after a password
	// cannot be told from the password's tail, and is refused unnamed.
	_, stderr, _ := runCmd(t, "inventory", "--db", "sqlserver://pcmig@127.0.0.1:1?databse=mgc_rehearsalQ&password=Abc%26Q&dial+timeout=1")
	mustContain(t, "misspelt key before a password", stderr, `"databse"`)
	_, stderr, code := runCmd(t, "inventory", "--db", "sqlserver://pcmig@127.0.0.1:1?password=Abc%26Q&databse=mgc_rehearsalQ&dial+timeout=1")
	if code != exitError || strings.Contains(stderr, "mgc_rehearsalQ") {
		t.Errorf("misspelt key after a password: exit %d\n%s", code, stderr)
	}
}
