package estate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubject: what a run works on is described without secrets, with
// paths inside the estate's folder relative to it (so the folder may
// move) and others absolute, and SQL Server databases in the form
// SameDatabase compares (no login, no connection options).
func TestSubject(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "shared", "topology.xml")
	p := write(t, `return {
  kind = "real", site = "Redmond", topology = [[`+outside+`]], directory = "lists/users.csv",
  source = { pool = "PChat15.Contoso.com.", registrar = "fe15.contoso.com",
    db = "sqlserver://pcmig:hunter2@SQL15.contoso.com:1433?database=MGC&encrypt=true", file_store = [[\\FS01\PChat]] },
  target = { pool = "pchat19.contoso.com", file_store = "stores/2019",
    db = { instance = "sql19.contoso.com\\RTC", user = "pcmig", password_env = "PW", encrypt = "strict" } },
}`)
	e, err := Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range e.Subject(map[string]string{"target": "5ad3c2a0-0000-4000-8000-000000000001"}) {
		got[f.Name] = f.Value
	}
	want := map[string]string{
		"kind": "real", "site": "Redmond", "topology": outside, "directory": "lists/users.csv",
		"pool settings": "(none)", "archive": "(none)",
		"source pool": "pchat15.contoso.com", "source registrar": "fe15.contoso.com",
		"source database": "sqlserver sql15.contoso.com,1433 database mgc", "source pool ID": "",
		"source file store": `\\fs01\pchat`,
		"target pool":       "pchat19.contoso.com", "target registrar": "(none)",
		"target database": `sqlserver sql19.contoso.com\rtc database mgc`, "target pool ID": "5ad3c2a0-0000-4000-8000-000000000001",
		"target file store": "stores/2019",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for k, v := range got {
		if strings.Contains(v, "hunter2") || strings.Contains(v, "pcmig") || strings.Contains(v, "encrypt") {
			t.Errorf("%s = %q: a login, password or connection option in the subject", k, v)
		}
	}
}
