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
