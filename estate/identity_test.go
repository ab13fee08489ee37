package estate

import (
	"testing"

	"github.com/pcmig/pcmig/store"
)

func TestSameDatabaseOnSQLServer(t *testing.T) {
	inst := func(i, db string) store.Config { return store.Config{Instance: i, Database: db} }
	dsn := func(d string) store.Config { return store.Config{DSN: d} }
	same := [][2]store.Config{
		{inst(`sql19.contoso.com\rtc`, "mgc"), inst(`SQL19.Contoso.COM\RTC`, "MGC")},
		{inst(`sql19.contoso.com\rtc`, ""), inst(`sql19\rtc`, "mgc")},
		{inst(`sql19.contoso.com.`, "mgc"), inst("sql19.contoso.com,1433", "mgc")},
		{inst(`sql19\MSSQLSERVER`, "mgc"), inst("sql19", "mgc")},
		{inst(`.\rtc`, "mgc"), inst(`(local)\rtc`, "mgc")},
		{inst(`localhost\rtc`, "mgc"), dsn("sqlserver://pcmig:pw@127.0.0.1/rtc?database=mgc")},
		{inst(`sql19.contoso.com\rtc`, "mgc"), dsn("sqlserver://sql19.contoso.com/RTC?Database=MGC&encrypt=true")},
		{inst(`sql19.contoso.com\rtc,50000`, "mgc"), inst(`sql19.contoso.com\rtc`, "mgc")},
	}
	for _, p := range same {
		if !SameDatabase(p[0], p[1]) || !SameDatabase(p[1], p[0]) {
			t.Errorf("SameDatabase(%+v, %+v) = false, want true", p[0], p[1])
		}
	}
	different := [][2]store.Config{
		{inst(`sql19\rtc`, "mgc"), inst(`sql19\rtc`, "mgc2")},
		{inst(`sql19\rtc`, "mgc"), inst(`sql15\rtc`, "mgc")},
		{inst(`sql19\rtc`, "mgc"), inst(`sql19`, "mgc")},
		{inst("sql19,1433", "mgc"), inst("sql19,1434", "mgc")},
		{inst(`sql19.contoso.com\rtc`, "mgc"), inst(`sql19.fabrikam.com\rtc`, "mgc")},
		{inst(`sql19\rtc`, "mgc"), dsn("sqlite:/x/sql19.db")},
	}
	for _, p := range different {
		if SameDatabase(p[0], p[1]) {
			t.Errorf("SameDatabase(%+v, %+v) = true, want false", p[0], p[1])
		}
	}
}

// TestSameSignInServer: the comparison of a script's pool tables with the
// estate's servers. A short host name matching an FQDN that starts with
// it (SameServer's rule) would let a script send a sign-in to
// "sql01.attacker.example" when the estate names "sql01".
func TestSameSignInServer(t *testing.T) {
	inst := func(i string) store.Config { return store.Config{Instance: i, Database: "mgc"} }
	dsn := func(d string) store.Config { return store.Config{DSN: d} }
	same := [][2]store.Config{
		{inst(`sql19.contoso.com\rtc`), inst(`SQL19.Contoso.COM.\RTC`)},
		{inst(`sql19\MSSQLSERVER`), inst("sql19,1433")},
		{inst(`.\rtc`), inst(`localhost\rtc`)},
		{inst(`sql19.contoso.com\rtc`), dsn("sqlserver://sql19.contoso.com/RTC?database=other")},
		{inst("sql19,1500"), dsn("sqlserver://sql19?port=1500")},
	}
	for _, p := range same {
		if !SameSignInServer(p[0], p[1]) || !SameSignInServer(p[1], p[0]) {
			t.Errorf("SameSignInServer(%+v, %+v) = false, want true", p[0], p[1])
		}
	}
	different := [][2]store.Config{
		{inst("sql01"), inst("sql01.attacker.example")},
		{inst("localhost,1500"), inst("localhost.attacker.example,1500")},
		{inst(`sql19.contoso.com\rtc`), inst(`sql19\rtc`)},
		{inst(`sql19\rtc,1500`), inst(`sql19\rtc,1501`)},
		{inst(`sql19\rtc,1500`), inst(`sql19\rtc`)},
		{inst("sql19"), dsn("sqlserver://sql19?port=1500")},
		{inst("sql19"), inst(`sql19\rtc`)},
		{inst("localhost"), dsn("sqlserver://")},
		{inst("sql19"), dsn("sqlite:/x/sql19.db")},
	}
	for _, p := range different {
		if SameSignInServer(p[0], p[1]) || SameSignInServer(p[1], p[0]) {
			t.Errorf("SameSignInServer(%+v, %+v) = true, want false", p[0], p[1])
		}
	}
	// SameServer reads a DSN's port=: the driver connects there.
	if SameServer(inst("sql19"), dsn("sqlserver://sql19?port=1500")) {
		t.Error("SameServer took sqlserver://sql19?port=1500 for sql19 on port 1433")
	}
}
