package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/microsoft/go-mssqldb/msdsn"
)

// testPassword has characters that URLs escape.
const testPassword = "S3cr3t!p@ss"

// passwordForms are the ways testPassword can appear in text: as given and
// URL-escaped (user info, query and path escaping all give one of these).
var passwordForms = []string{testPassword, "S3cr3t%21p%40ss", "S3cr3t%21p@ss", "S3cr3t!p%40ss"}

// leaksPassword reports a form of testPassword in s, or "".
func leaksPassword(s string) string {
	for _, f := range passwordForms {
		if strings.Contains(s, f) {
			return f
		}
	}
	if strings.Contains(s, "S3cr3t") {
		return "S3cr3t"
	}
	return ""
}

func TestParseInstance(t *testing.T) {
	tests := []struct {
		in                   string
		host, instance, port string
		wantErr              string
	}{
		{in: `sqlhost.contoso.com\rtc`, host: "sqlhost.contoso.com", instance: "rtc"},
		{in: `sqlhost.contoso.com`, host: "sqlhost.contoso.com"},
		{in: `host,1433`, host: "host", port: "1433"},
		{in: `host\inst,1500`, host: "host", instance: "inst", port: "1500"},
		{in: ` host\inst , 1500 `, host: "host", instance: "inst", port: "1500"},
		{in: `tcp:host,1433`, host: "host", port: "1433"},
		{in: `TCP:host\rtc`, host: "host", instance: "rtc"},
		{in: `.`, host: "localhost"},
		{in: `.\SQLEXPRESS`, host: "localhost", instance: "SQLEXPRESS"},
		{in: `(local)`, host: "localhost"},
		{in: `(LOCAL)\rtc,1433`, host: "localhost", instance: "rtc", port: "1433"},
		{in: `sqlhost\MSSQLSERVER`, host: "sqlhost"},
		{in: `sqlhost\mssqlserver,1433`, host: "sqlhost", port: "1433"},
		{in: `10.0.0.5\rtc`, host: "10.0.0.5", instance: "rtc"},
		{in: `::1`, host: "::1"},
		{in: `[fe80::1],1433`, host: "fe80::1", port: "1433"},
		{in: ``, wantErr: "empty"},
		{in: `   `, wantErr: "empty"},
		{in: `tcp:`, wantErr: "malformed host name"},
		{in: `host\`, wantErr: `want HOST\INSTANCE`},
		{in: `host\a\b`, wantErr: `want HOST\INSTANCE`},
		{in: `\rtc`, wantErr: "no host name"},
		{in: `host,`, wantErr: `port "" is not a number`},
		{in: `host,abc`, wantErr: `port "abc" is not a number`},
		{in: `host,0`, wantErr: `port "0" is not a number from 1 to 65535`},
		{in: `host,70000`, wantErr: `port "70000"`},
		{in: `host,+5`, wantErr: `port "+5"`},
		{in: `host:1433`, wantErr: "give a port as HOST,PORT"},
		{in: `sqlserver://host`, wantErr: "malformed host name"},
		{in: `my host`, wantErr: "malformed host name"},
		{in: `host;database=x`, wantErr: "malformed host name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			host, instance, port, err := ParseInstance(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseInstance(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.in)) {
					t.Errorf("ParseInstance(%q) error = %v, want it to quote the input", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseInstance(%q): %v", tt.in, err)
			}
			got := []string{host, instance, port}
			if diff := cmp.Diff([]string{tt.host, tt.instance, tt.port}, got); diff != "" {
				t.Errorf("ParseInstance(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// driverView is what go-mssqldb makes of a connection string.
type driverView struct {
	Host, Instance string
	Port           uint64
	Database, User string
	Password       string
	AppName        string
	Encryption     msdsn.Encryption
	TrustCert      bool
	ServerName     string // expected certificate host name
	Auth           map[string]string
}

func viewOf(t *testing.T, conn string) driverView {
	t.Helper()
	p, err := msdsn.Parse(conn)
	if err != nil {
		t.Fatalf("go-mssqldb cannot parse the connection string: %v", err)
	}
	v := driverView{Host: p.Host, Instance: p.Instance, Port: p.Port, Database: p.Database, User: p.User,
		Password: p.Password, AppName: p.AppName, Encryption: p.Encryption, TrustCert: p.TrustServerCertificate}
	if p.TLSConfig != nil {
		v.ServerName = p.TLSConfig.ServerName
	}
	for _, k := range []string{"authenticator", "krb5-credcachefile", "krb5-configfile"} {
		if val, ok := p.Parameters[k]; ok {
			if v.Auth == nil {
				v.Auth = map[string]string{}
			}
			v.Auth[k] = val
		}
	}
	return v
}

func TestConnString(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	defaultCache := fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	tests := []struct {
		name     string
		cfg      Config
		unixOnly bool // integrated authentication is SSPI on Windows
		want     string
		view     driverView
	}{{
		name: "SQL login, named instance",
		cfg:  Config{Instance: `sqlhost.contoso.com\rtc`, User: "sa", Password: testPassword},
		want: "sqlserver://sa:S3cr3t%21p%40ss@sqlhost.contoso.com/rtc?app+name=pcmig&database=mgc&encrypt=true",
		view: driverView{Host: "sqlhost.contoso.com", Instance: "rtc", Database: "mgc", User: "sa", Password: testPassword,
			AppName: "pcmig", Encryption: msdsn.EncryptionRequired, ServerName: "sqlhost.contoso.com"},
	}, {
		name: "port, database, strict encryption, certificate host",
		cfg: Config{Instance: `sqlhost,1533`, Database: "mgc2", User: "pcmig", Password: "x", Encrypt: "strict",
			HostInCert: "sqlcluster.contoso.com", AppName: "pcmig-test"},
		want: "sqlserver://pcmig:x@sqlhost:1533?app+name=pcmig-test&database=mgc2&encrypt=strict&hostNameInCertificate=sqlcluster.contoso.com",
		view: driverView{Host: "sqlhost", Port: 1533, Database: "mgc2", User: "pcmig", Password: "x", AppName: "pcmig-test",
			Encryption: msdsn.EncryptionStrict, ServerName: "sqlcluster.contoso.com"},
	}, {
		name: "default instance on this machine, lab certificate",
		cfg:  Config{Instance: `.\MSSQLSERVER`, User: "sa", Password: "x", Encrypt: "False", TrustCert: true},
		want: "sqlserver://sa:x@localhost?TrustServerCertificate=true&app+name=pcmig&database=mgc&encrypt=false",
		view: driverView{Host: "localhost", Database: "mgc", User: "sa", Password: "x", AppName: "pcmig",
			Encryption: msdsn.EncryptionOff, TrustCert: true, ServerName: "localhost"},
	}, {
		name: "encryption disabled",
		cfg:  Config{Instance: `10.1.2.3,1433`, User: "sa", Password: "x", Encrypt: "disable"},
		want: "sqlserver://sa:x@10.1.2.3:1433?app+name=pcmig&database=mgc&encrypt=disable",
		view: driverView{Host: "10.1.2.3", Port: 1433, Database: "mgc", User: "sa", Password: "x", AppName: "pcmig",
			Encryption: msdsn.EncryptionDisabled},
	}, {
		name: "IPv6 address",
		cfg:  Config{Instance: `fe80::1,1433`, User: "sa", Password: "x"},
		want: "sqlserver://sa:x@[fe80::1]:1433?app+name=pcmig&database=mgc&encrypt=true",
		view: driverView{Host: "fe80::1", Port: 1433, Database: "mgc", User: "sa", Password: "x", AppName: "pcmig",
			Encryption: msdsn.EncryptionRequired, ServerName: "fe80::1"},
	}, {
		name:     "integrated authentication from Linux, environment",
		cfg:      Config{Instance: `sqlhost\rtc`, Getenv: env(map[string]string{"KRB5CCNAME": "FILE:/run/user/1000/krb5cc", "KRB5_CONFIG": "/etc/pcmig/krb5.conf"})},
		unixOnly: true,
		want:     "sqlserver://sqlhost/rtc?app+name=pcmig&authenticator=krb5&database=mgc&encrypt=true&krb5-configfile=%2Fetc%2Fpcmig%2Fkrb5.conf&krb5-credcachefile=%2Frun%2Fuser%2F1000%2Fkrb5cc",
		view: driverView{Host: "sqlhost", Instance: "rtc", Database: "mgc", AppName: "pcmig", Encryption: msdsn.EncryptionRequired,
			ServerName: "sqlhost", Auth: map[string]string{"authenticator": "krb5",
				"krb5-credcachefile": "/run/user/1000/krb5cc", "krb5-configfile": "/etc/pcmig/krb5.conf"}},
	}, {
		name:     "integrated authentication from Linux, defaults",
		cfg:      Config{Instance: `sqlhost`, Getenv: env(nil)},
		unixOnly: true,
		view: driverView{Host: "sqlhost", Database: "mgc", AppName: "pcmig", Encryption: msdsn.EncryptionRequired,
			ServerName: "sqlhost", Auth: map[string]string{"authenticator": "krb5",
				"krb5-credcachefile": defaultCache, "krb5-configfile": "/etc/krb5.conf"}},
	}, {
		name: "full URL gets the defaults",
		cfg:  Config{DSN: "sqlserver://sa:S3cr3t%21p%40ss@db.contoso.com:1533?encrypt=strict"},
		want: "sqlserver://sa:S3cr3t%21p%40ss@db.contoso.com:1533?app+name=pcmig&database=mgc&encrypt=strict",
		view: driverView{Host: "db.contoso.com", Port: 1533, Database: "mgc", User: "sa", Password: testPassword,
			AppName: "pcmig", Encryption: msdsn.EncryptionStrict, ServerName: "db.contoso.com"},
	}, {
		name: "full URL keeps its own settings in any case",
		cfg:  Config{DSN: "SQLSERVER://sa:x@db/rtc?Database=mgcold&App+Name=migrator&TrustServerCertificate=true", AppName: "ignored"},
		want: "sqlserver://sa:x@db/rtc?App+Name=migrator&Database=mgcold&TrustServerCertificate=true",
		view: driverView{Host: "db", Instance: "rtc", Database: "mgcold", User: "sa", Password: "x", AppName: "migrator",
			Encryption: msdsn.EncryptionOff, TrustCert: true, ServerName: "db"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.unixOnly && isWindows() {
				t.Skip("integrated authentication is SSPI on Windows")
			}
			got, err := ConnString(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("ConnString() = %s\nwant %s", got, tt.want)
			}
			if diff := cmp.Diff(tt.view, viewOf(t, got)); diff != "" {
				t.Errorf("go-mssqldb's reading of ConnString() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConnStringErrors(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"bad encrypt value", Config{Instance: "h", User: "sa", Encrypt: "maybe"}, `encrypt: want true, false, strict or disable`},
		{"password without user", Config{Instance: "h", Password: testPassword}, "a password needs a user"},
		{"malformed instance", Config{Instance: `h\`, User: "sa"}, `database instance "h\\"`},
		{"keyring credential cache", Config{Instance: "h", Getenv: func(k string) string {
			if k == "KRB5CCNAME" {
				return "KEYRING:persistent:1000"
			}
			return ""
		}}, "not a file credential cache"},
		{"URL without host", Config{DSN: "sqlserver:///mgc"}, "malformed SQL Server DSN"},
		{"URL with a bad escape in the password", Config{DSN: "sqlserver://sa:S3cr3t%zz@h"}, "malformed SQL Server DSN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cfg.Getenv != nil && isWindows() {
				t.Skip("integrated authentication is SSPI on Windows")
			}
			_, err := ConnString(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ConnString() error = %v, want one containing %q", err, tt.wantErr)
			}
			if f := leaksPassword(err.Error()); f != "" {
				t.Errorf("ConnString() error %q shows the password as %q", err, f)
			}
		})
	}
}

func TestDescribeAndRedactDSN(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"instance with SQL login", Config{Instance: `sqlhost\rtc`, User: "sa", Password: testPassword}, `sqlserver sqlhost\rtc database mgc`},
		{"instance and database", Config{Instance: `sqlhost,1433`, Database: "mgc2"}, `sqlserver sqlhost,1433 database mgc2`},
		{"URL user info", Config{DSN: "sqlserver://sa:S3cr3t%21p%40ss@h:1433?database=mgc"}, "sqlserver://sa:xxxxx@h:1433?database=mgc"},
		{"URL user without password", Config{DSN: "sqlserver://sa@h"}, "sqlserver://sa@h"},
		{"URL password parameter", Config{DSN: "sqlserver://h?user+id=sa&Password=S3cr3t%21p%40ss"}, "sqlserver://h?Password=xxxxx&user+id=sa"},
		{"URL pwd parameter", Config{DSN: "sqlserver://h?pwd=" + testPassword}, "sqlserver://h?pwd=xxxxx"},
		{"unparseable URL", Config{DSN: "sqlserver://sa:S3cr3t%zz@h"}, "sqlserver://(unparseable DSN, hidden)"},
		{"password with a bare slash", Config{DSN: "sqlserver://sa:2024/W1nter@h:1433"}, "sqlserver://(DSN hidden: a / ? or # in its password is not percent-encoded)"},
		{"password with a bare @ and /", Config{DSN: "sqlserver://sa:a@b/W1nter@h:1433"}, "sqlserver://(DSN hidden: a / ? or # in its password is not percent-encoded)"},
		{"ADO.NET string", Config{DSN: "Server=h;User Id=sa;Password=" + testPassword + ";Database=mgc"}, "Server=h;User Id=sa;Password=xxxxx"},
		{"ODBC string", Config{DSN: "server=h;uid=sa;PWD={" + testPassword + ";x}"}, "server=h;uid=sa;PWD=xxxxx"},
		{"ODBC string with its scheme", Config{DSN: "odbc:server=h;uid=sa;pwd=" + testPassword}, "odbc:server=h;uid=sa;pwd=xxxxx"},
		{"sqlserver: without //", Config{DSN: "sqlserver:sa:" + testPassword + "@h"}, "(unrecognised database, not shown: it may hold a password)"},
		{"sqlserver: without // with a query", Config{DSN: "sqlserver:sa:" + testPassword + "@h?database=mgc"}, "(unrecognised database, not shown: it may hold a password)"},
		{"ADO.NET value quoted with a ;", Config{DSN: `Server=h;Application Name="a;` + testPassword + `"`}, "(unrecognised database, not shown: it may hold a password)"},
		{"embedded store", Config{DSN: "sqlite:/var/lib/pcmig/p@ss.db"}, "sqlite:/var/lib/pcmig/p@ss.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.Describe()
			if got != tt.want {
				t.Errorf("Describe() = %q, want %q", got, tt.want)
			}
			if tt.cfg.DSN != "" && redactDSN(tt.cfg.DSN) != got {
				t.Errorf("redactDSN() = %q, want %q", redactDSN(tt.cfg.DSN), got)
			}
			if f := leaksPassword(got); f != "" {
				t.Errorf("Describe() = %q shows the password as %q", got, f)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		in   string
		want string
	}{
		{"instance password in every form", Config{Instance: "h", User: "sa", Password: testPassword},
			"login sa:S3cr3t%21p%40ss failed; password S3cr3t!p@ss; query password=S3cr3t%21p%40ss",
			"login sa:xxxxx failed; password xxxxx; query password=xxxxx"},
		{"URL password", Config{DSN: "sqlserver://sa:S3cr3t%21p%40ss@h"}, "dial sqlserver://sa:S3cr3t%21p%40ss@h: refused (S3cr3t!p@ss)",
			"dial sqlserver://sa:xxxxx@h: refused (xxxxx)"},
		{"URL query password", Config{DSN: "sqlserver://h?password=S3cr3t%21p%40ss"}, "bad password S3cr3t!p@ss", "bad password xxxxx"},
		{"no password", Config{Instance: "h"}, "connection refused", "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.Redact(tt.in); got != tt.want {
				t.Errorf("Redact() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOpenErrorsHidePasswords opens servers that cannot be reached and
// checks that no form of the password reaches the error.
func TestOpenErrorsHidePasswords(t *testing.T) {
	hangupPort := hangupServer(t)

	tests := []struct {
		name string
		cfg  Config
	}{
		{"URL, nothing listening", Config{DSN: "sqlserver://sa:S3cr3t%21p%40ss@127.0.0.1:1/x?dial+timeout=1"}},
		{"URL with password parameter", Config{DSN: "sqlserver://127.0.0.1:1?user+id=sa&password=S3cr3t%21p%40ss&dial+timeout=1"}},
		{"instance, nothing listening", Config{Instance: "127.0.0.1,1", User: "sa", Password: testPassword}},
		{"instance, server hangs up", Config{Instance: "127.0.0.1," + hangupPort, User: "sa", Password: testPassword}},
		{"malformed URL", Config{DSN: "sqlserver://sa:S3cr3t%zz@127.0.0.1:1"}},
		{"connection string in the wrong syntax", Config{DSN: "server=127.0.0.1;user id=sa;password=" + testPassword}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := Open(ctx, tt.cfg)
			if err == nil {
				s.Close()
				t.Fatal("Open() succeeded, want an error")
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Open() timed out instead of failing: %v", err)
			}
			if f := leaksPassword(err.Error()); f != "" {
				t.Errorf("Open() error %q shows the password as %q", err, f)
			}
		})
	}
}
