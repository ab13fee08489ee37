package estate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/store"
)

// TestLoadConnectionOptions reads every connection option of a database
// entry; file paths resolve against the estate's folder.
func TestLoadConnectionOptions(t *testing.T) {
	p := write(t, `
return {
  kind = "real", site = "Redmond",
  source = { pool = "pchat15.contoso.com", registrar = "fe15.contoso.com",
    db = { instance = "sql15.contoso.com\\rtc,1433", auth = "kerberos", server_spn = "MSSQLSvc/sql15.contoso.com:1433",
           krb5_config = "krb5.conf", krb5_ccache = "FILE:cc/krb5cc", certificate = "certs/sql15.pem" } },
  target = { pool = "pchat19.contoso.com",
    db = { instance = "sql19.contoso.com", auth = "ntlm", user = "CONTOSO\\pcadmin", password_env = "PW",
           server_certificate = "/etc/pcmig/sql19.der", encrypt = "strict" } },
}`)
	e, err := Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	src, err := e.Source.DB.Config(e.Dir, nil)
	want := store.Config{Instance: `sql15.contoso.com\rtc,1433`, Auth: "kerberos", ServerSPN: "MSSQLSvc/sql15.contoso.com:1433",
		Krb5Config: filepath.Join(dir, "krb5.conf"), Krb5CCache: "FILE:" + filepath.Join(dir, "cc/krb5cc"), Certificate: filepath.Join(dir, "certs/sql15.pem")}
	if diff := cmp.Diff(want, src); err != nil || diff != "" {
		t.Errorf("source Config mismatch (-want +got):\n%s%v", diff, err)
	}
	tgt, err := e.Target.DB.Config(e.Dir, func(string) string { return "pw" })
	want = store.Config{Instance: "sql19.contoso.com", Auth: "ntlm", User: `CONTOSO\pcadmin`, Password: "pw",
		ServerCertificate: "/etc/pcmig/sql19.der", Encrypt: "strict"}
	if diff := cmp.Diff(want, tgt); err != nil || diff != "" {
		t.Errorf("target Config mismatch (-want +got):\n%s%v", diff, err)
	}
}

// TestLoadRefusesDSNWithInstanceKeys: a db table with dsn and any other
// key (instance, user, password_env ...) is refused, naming the keys,
// as the command line refuses --db with --instance. Before, the table's
// DSN was used and the other keys dropped without a word: the estate
// loaded, and pcmig doctor --estate said OK on the DSN's database (found
// by tidy31).
func TestLoadRefusesDSNWithInstanceKeys(t *testing.T) {
	p := write(t, `
return {
  kind = "lab", site = "Redmond",
  source = { pool = "pchat15.contoso.com", registrar = "fe15.contoso.com", db = "sqlite:source-2015.db" },
  target = { pool = "pchat19.contoso.com",
    db = { dsn = "sqlite:target-2019.db", instance = "sql19.contoso.com\\rtc", user = "pcmig", password_env = "NOPE_UNSET" } },
}`)
	_, err := Load(context.Background(), p)
	if err == nil {
		t.Fatal("an estate whose db table has dsn and instance loaded")
	}
	for _, want := range []string{"dsn", "instance, password_env, user", "not both"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
