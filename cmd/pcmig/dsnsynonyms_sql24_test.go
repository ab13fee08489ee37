package main

import (
	"strings"
	"testing"
)

// TestDSNWithADONetKeywordIsRefused: go-mssqldb reads ADO.NET's names
// (initial catalog, uid, pwd, data source, ...) only in an ADO.NET-style
// connection string, never in a sqlserver:// URL, and says nothing of a
// key it does not read. With "initial catalog=mgc_rehearsal" in a URL,
// pcmig added database=mgc and opened mgc: an import meant for a rehearsal
// copy of the pool went to the pool's own database, while every message
// named the DSN as written, with mgc_rehearsal in it. Such a DSN is now
// refused, naming the key and the URL's word for it, before any connection
// is tried, and without the password.
func TestDSNWithADONetKeywordIsRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ dsn, key, instead string }{
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?initial+catalog=mgc_rehearsal&dial+timeout=1", `"initial catalog"`, "database="},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?Initial%20Catalog=mgc_rehearsal&database=mgc&dial+timeout=1", `"Initial Catalog"`, "database="},
		{"sqlserver://127.0.0.1:1?uid=pcmig&password=Passw0rdQ&dial+timeout=1", `"uid"`, "user id="},
		{"sqlserver://127.0.0.1:1?user+id=pcmig&pwd=Passw0rdQ&dial+timeout=1", `"pwd"`, "password="},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?data+source=sql19.contoso.com&dial+timeout=1", `"data source"`, "host"},
	} {
		out, stderr, code := runCmd(t, "inventory", "--db", tt.dsn)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d\n%s", tt.dsn, code, exitError, stderr)
		}
		mustContain(t, "refusal of "+tt.dsn, stderr, tt.key, tt.instead, "sqlserver:// URL")
		if strings.Contains(stderr, "network") || strings.Contains(stderr, "connection refused") {
			t.Errorf("%s: a connection was tried:\n%s", tt.dsn, stderr)
		}
		if strings.Contains(out+stderr, "Passw0rdQ") {
			t.Errorf("%s: the password shows:\n%s%s", tt.dsn, out, stderr)
		}
	}
}
