package main

import (
	"strings"
	"testing"
)

// TestDSNWithUnknownKeyIsRefused: go-mssqldb reads the keys it knows from
// a sqlserver:// URL and ignores every other one without a word. With a
// misspelt key (databse=mgc_rehearsal) pcmig added database=mgc and
// connected to mgc: an import meant for a rehearsal copy would go to the
// pool's own database. A misspelt password key (pasword=...) was also
// printed in clear in every message that named the DSN, since only the keys
// known to hold a password were masked. Such a DSN is now refused before any
// connection, naming the key (and the driver's key it is nearest to), never
// its value.
func TestDSNWithUnknownKeyIsRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ dsn, key, hint string }{
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?databse=mgc_rehearsalQ&dial+timeout=1", `"databse"`, `"database"`},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?Databse=mgc_rehearsalQ&dial+timeout=1", `"Databse"`, `"database"`},
		{"sqlserver://pcmig@127.0.0.1:1?pasword=mgc_rehearsalQ&dial+timeout=1", `"pasword"`, `"password"`},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?database+=mgc_rehearsalQ&dial+timeout=1", `"database "`, `"database"`},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?dial+timeout=1&trustservercertificat=mgc_rehearsalQ", `"trustservercertificat"`, `"trustservercertificate"`},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?dial+timeout=1&fedauth=mgc_rehearsalQ", `"fedauth"`, ""},
	} {
		out, stderr, code := runCmd(t, "inventory", "--db", tt.dsn)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d\n%s", tt.dsn, code, exitError, stderr)
		}
		mustContain(t, "refusal of "+tt.dsn, stderr, tt.key, "go-mssqldb does not read", tt.hint)
		if strings.Contains(stderr, "network") || strings.Contains(stderr, "connection refused") {
			t.Errorf("%s: a connection was tried:\n%s", tt.dsn, stderr)
		}
		for _, secret := range []string{"Passw0rdQ", "mgc_rehearsalQ"} {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("%s: the value %s shows:\n%s%s", tt.dsn, secret, out, stderr)
			}
		}
	}
}

// TestDSNKeysTheDriverReadsAreAccepted: every key go-mssqldb reads, in any
// letter case, gets past the check (the connection then fails on the
// closed port, not on the DSN).
func TestDSNKeysTheDriverReadsAreAccepted(t *testing.T) {
	t.Parallel()
	dsn := "sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?Database=mgc&dial+timeout=1&app+name=x&Encrypt=disable&TrustServerCertificate=true" +
		"&connection+timeout=0&timezone=UTC&keepalive=30&packet+size=4096&workstation+id=w&MultiSubnetFailover=false&disableretry=true&log=0" +
		"&ApplicationIntent=ReadWrite&guid+conversion=false&notraceid=false&epa+enabled=false&tlsmin=1.2&protocol=tcp"
	_, stderr, code := runCmd(t, "inventory", "--db", dsn)
	if code != exitError || !strings.Contains(stderr, "network") {
		t.Errorf("exit %d, want %d on the network:\n%s", code, exitError, stderr)
	}
	if strings.Contains(stderr, "does not read") {
		t.Errorf("a key the driver reads is refused:\n%s", stderr)
	}
}

// TestDSNInADOAndODBCFormsIsRefused: go-mssqldb also takes ADO.NET
// ("Server=h;Databse=...") and ODBC ("odbc:...") connection strings and
// ignores their unknown keys the same way; pcmig takes neither form, so a
// misspelt key in one cannot send a write elsewhere. The refusal repeats
// nothing of the string.
func TestDSNInADOAndODBCFormsIsRefused(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"Server=127.0.0.1,1;Databse=mgc_rehearsalQ;User Id=pcmig;Password=Passw0rdQ",
		"odbc:server=127.0.0.1,1;databse=mgc_rehearsalQ;user id=pcmig;password={Passw0rdQ}",
	} {
		out, stderr, code := runCmd(t, "inventory", "--db", dsn)
		if code == exitOK {
			t.Errorf("%s: exit 0", dsn)
		}
		mustContain(t, "refusal of "+dsn, stderr, "unrecognised database", "want sqlite:PATH or sqlserver://")
		for _, secret := range []string{"Passw0rdQ", "mgc_rehearsalQ", "127.0.0.1"} {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("%s: %s shows:\n%s%s", dsn, secret, out, stderr)
			}
		}
	}
}

// TestDSNWithMalformedEscapeIsRefused: a key=value pair of a URL's query
// whose % escape is malformed (database=mgc_rehearsal%) was dropped without
// a word (url.Values), so pcmig added database=mgc and connected to the
// pool's own database. It is refused, never quoting the value. A user name
// or password with a character a URL must escape is refused with how to
// write it.
func TestDSNWithMalformedEscapeIsRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ dsn, want string }{
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?database=mgc_rehearsalQ%&dial+timeout=1", "write a % in a password or other value as %25"},
		{"sqlserver://pcmig:Passw0rdQ@127.0.0.1:1?dial+timeout=1&database=mgc_rehearsalQ%zz", "write a % in a password or other value as %25"},
		{"sqlserver://pcmig:Passw0rd}Q@127.0.0.1:1?dial+timeout=1", "} as %7D"},
		{"sqlserver://pcmig:Passw0rd ЖQ@127.0.0.1:1?dial+timeout=1", "a space as %20"},
	} {
		out, stderr, code := runCmd(t, "inventory", "--db", tt.dsn)
		if code == exitOK {
			t.Errorf("%s: exit 0", tt.dsn)
		}
		mustContain(t, "refusal of "+tt.dsn, stderr, "malformed SQL Server DSN", tt.want)
		if strings.Contains(stderr, "network") || strings.Contains(stderr, "connection refused") {
			t.Errorf("%s: a connection was tried:\n%s", tt.dsn, stderr)
		}
		for _, secret := range []string{"Passw0rd", "mgc_rehearsalQ"} {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("%s: %s shows:\n%s%s", tt.dsn, secret, out, stderr)
			}
		}
	}
}
