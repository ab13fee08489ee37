package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIdentity: one database spelled several ways has one identity, and
// two databases two; no login or password is in it.
func TestIdentity(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("target.db", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("copy", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "target.db"), "link.db"); err != nil {
		t.Fatal(err)
	}
	groups := [][]Config{
		{{DSN: "sqlite:target.db"}, {DSN: "sqlite:./target.db"}, {DSN: "sqlite:" + filepath.Join(dir, "target.db")}, {DSN: "sqlite:link.db"}},
		{{DSN: "sqlite:copy/target.db"}},
		{
			{Instance: `sql19.contoso.com\rtc`},
			{Instance: `SQL19.Contoso.com\RTC`, Database: "mgc", User: "pcmig", Password: "hunter2"},
			{Instance: `tcp:sql19.contoso.com.\rtc`, Auth: "kerberos"},
			{DSN: "sqlserver://sql19.contoso.com/rtc"},
			{DSN: "sqlserver://CONTOSO%5Cmigrator:hunter3@SQL19.contoso.com/RTC?encrypt=strict&DATABASE=mgc&app+name=x"},
		},
		{{Instance: `sql19.contoso.com\rtc`, Database: "MGC"}},
		{{Instance: `sql19.contoso.com\rtc`, Database: "mgc_rehearsal"}, {DSN: "sqlserver://sql19.contoso.com/rtc?database=mgc_rehearsal"}},
		{{Instance: "sql19.contoso.com"}, {Instance: `sql19.contoso.com\MSSQLSERVER`}, {Instance: "sql19.contoso.com,1433"}, {DSN: "sqlserver://sql19.contoso.com:1433"}},
		{{Instance: "sql19.contoso.com,1533"}},
		{{Instance: "."}, {Instance: "(local)"}, {Instance: "localhost"}},
	}
	seen := map[string]int{}
	for g, group := range groups {
		for _, c := range group {
			id := c.Identity()
			if id == "" {
				t.Errorf("%s: no identity", c.Describe())
				continue
			}
			if strings.Contains(id, "hunter") || strings.Contains(id, "pcmig") || strings.Contains(id, "migrator") {
				t.Errorf("%s: identity %q holds the login or the password", c.Describe(), id)
			}
			if first, ok := seen[id]; ok && first != g {
				t.Errorf("%s: identity %q is also another database's (group %d)", c.Describe(), id, first)
			}
			seen[id] = g
			if want := group[0].Identity(); id != want {
				t.Errorf("%s: identity %q, want %q (%s)", c.Describe(), id, want, group[0].Describe())
			}
		}
	}
	for _, c := range []Config{{}, {DSN: "sqlserver://%zz"}, {Instance: `host\`}, {DSN: "mysql://x"}} {
		if id := c.Identity(); id != "" {
			t.Errorf("%+v: identity %q, want none", c, id)
		}
	}
}
