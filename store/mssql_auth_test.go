package store

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/microsoft/go-mssqldb/msdsn"
)

// selfSigned writes a self-signed certificate for host as name (.pem or
// .der) in dir, as SQL Server makes at start-up when none is configured.
func selfSigned(t *testing.T, dir, name, host string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	data := der
	if strings.HasSuffix(name, ".pem") {
		data = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// authView is what go-mssqldb makes of the authentication and TLS part of
// a connection string.
type authView struct {
	User, Password    string
	ServerSPN         string
	Params            map[string]string // authenticator, certificate, servercertificate, krb5-*
	TrustCert         bool
	RootCAs, Verifier bool // a CA pool (certificate) or a byte-exact check (servercertificate)
	ServerName        string
}

func authViewOf(t *testing.T, conn string) authView {
	t.Helper()
	p, err := msdsn.Parse(conn)
	if err != nil {
		t.Fatalf("go-mssqldb cannot parse the connection string: %v", err)
	}
	v := authView{User: p.User, Password: p.Password, ServerSPN: p.ServerSPN, TrustCert: p.TrustServerCertificate}
	for _, k := range []string{"authenticator", "certificate", "servercertificate", "krb5-credcachefile", "krb5-configfile"} {
		if val, ok := p.Parameters[k]; ok {
			if v.Params == nil {
				v.Params = map[string]string{}
			}
			v.Params[k] = val
		}
	}
	if p.TLSConfig != nil {
		v.RootCAs, v.Verifier, v.ServerName = p.TLSConfig.RootCAs != nil, p.TLSConfig.VerifyPeerCertificate != nil, p.TLSConfig.ServerName
	}
	return v
}

// TestConnStringAuthAndTLS checks every authentication and TLS choice by
// what go-mssqldb v1.11.2 itself reads from the connection string.
func TestConnStringAuthAndTLS(t *testing.T) {
	dir := t.TempDir()
	pemFile := selfSigned(t, dir, "sql19.pem", "sql19.contoso.com")
	derFile := selfSigned(t, dir, "sql19.der", "sql19.contoso.com")
	env := func(string) string { return "" }
	tests := []struct {
		name     string
		cfg      Config
		unixOnly bool
		want     authView
	}{
		{"NTLM", Config{Instance: `sql19`, Auth: "ntlm", User: `CONTOSO\pcadmin`, Password: testPassword},
			false, authView{User: `CONTOSO\pcadmin`, Password: testPassword, Params: map[string]string{"authenticator": "ntlm"}, ServerName: "sql19"}},
		{"SQL login", Config{Instance: `sql19`, Auth: "sql", User: "pcmig", Password: "x"},
			false, authView{User: "pcmig", Password: "x", ServerName: "sql19"}},
		{"Kerberos with a service principal name and explicit files",
			Config{Instance: `sql19.contoso.com\rtc`, Auth: "kerberos", ServerSPN: "MSSQLSvc/sql19.contoso.com:1433",
				Krb5CCache: "FILE:/var/run/pcmig/krb5cc", Krb5Config: "/etc/pcmig/krb5.conf", Getenv: env},
			false, authView{ServerSPN: "MSSQLSvc/sql19.contoso.com:1433", ServerName: "sql19.contoso.com",
				Params: map[string]string{"authenticator": "krb5", "krb5-credcachefile": "/var/run/pcmig/krb5cc", "krb5-configfile": "/etc/pcmig/krb5.conf"}}},
		{"windows from Linux is Kerberos", Config{Instance: `sql19`, Auth: "windows", Krb5CCache: "/tmp/cc", Getenv: env},
			true, authView{ServerName: "sql19", Params: map[string]string{"authenticator": "krb5", "krb5-credcachefile": "/tmp/cc", "krb5-configfile": "/etc/krb5.conf"}}},
		{"self-signed certificate trusted from a PEM file", Config{Instance: `sql19.contoso.com`, User: "sa", Password: "x", Certificate: pemFile},
			false, authView{User: "sa", Password: "x", ServerName: "sql19.contoso.com", RootCAs: true, Params: map[string]string{"certificate": pemFile}}},
		{"server certificate pinned from a DER file", Config{Instance: `10.0.0.5,1433`, User: "sa", Password: "x", ServerCertificate: derFile},
			false, authView{User: "sa", Password: "x", ServerName: "10.0.0.5", Verifier: true, Params: map[string]string{"servercertificate": derFile}}},
		{"trusting any certificate", Config{Instance: `sql19`, User: "sa", Password: "x", TrustCert: true},
			false, authView{User: "sa", Password: "x", ServerName: "sql19", TrustCert: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.unixOnly && isWindows() {
				t.Skip("integrated authentication is SSPI on Windows")
			}
			conn, err := ConnString(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, authViewOf(t, conn)); diff != "" {
				t.Errorf("go-mssqldb's reading mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConnStringAuthErrors(t *testing.T) {
	dir := t.TempDir()
	pemFile := selfSigned(t, dir, "sql19.pem", "sql19")
	crt := filepath.Join(dir, "sql19.crt")
	if err := os.WriteFile(crt, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"NTLM without a domain", Config{Instance: "h", Auth: "ntlm", User: "pcadmin", Password: testPassword}, `auth ntlm needs a user written DOMAIN\user`},
		{"NTLM without a password", Config{Instance: "h", Auth: "ntlm", User: `CONTOSO\pcadmin`}, "auth ntlm needs the account's password"},
		{"SQL login written as a Windows account", Config{Instance: "h", Auth: "sql", User: `CONTOSO\pcadmin`, Password: testPassword}, "is a Windows account, not a SQL login"},
		{"SQL login without a password", Config{Instance: "h", Auth: "sql", User: "pcmig"}, "auth sql needs the login's password"},
		{"Kerberos with a password", Config{Instance: "h", Auth: "kerberos", User: "u", Password: testPassword}, "logs in as the account pcmig runs as"},
		{"unknown method", Config{Instance: "h", Auth: "oauth"}, `auth "oauth": want sql, windows, kerberos, ntlm`},
		{"two certificate choices", Config{Instance: "h", User: "sa", Password: testPassword, TrustCert: true, Certificate: pemFile}, "give only one of"},
		{"certificate without TLS", Config{Instance: "h", User: "sa", Password: testPassword, Encrypt: "disable", Certificate: pemFile}, "encrypt disable turns TLS off"},
		{"pinned certificate with a host name", Config{Instance: "h", User: "sa", Password: testPassword, ServerCertificate: pemFile, HostInCert: "x"}, "host_in_certificate does not apply"},
		{"a .crt file", Config{Instance: "h", User: "sa", Password: testPassword, Certificate: crt}, "give a .pem or .der file"},
		{"a missing file", Config{Instance: "h", User: "sa", Password: testPassword, Certificate: filepath.Join(dir, "none.pem")}, "TLS: certificate file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ConnString(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ConnString() error = %v, want one containing %q", err, tt.wantErr)
			}
			if f := leaksPassword(err.Error()); f != "" {
				t.Errorf("error %q shows the password as %q", err, f)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // phrases, one per warning
	}{
		{"checked TLS", Config{Instance: "h", User: "sa", Password: testPassword}, nil},
		{"pinned", Config{Instance: "h", ServerCertificate: "x.pem"}, nil},
		{"trusted", Config{Instance: "h", TrustCert: true}, []string{"certificate is not checked"}},
		{"no encryption", Config{Instance: "h", Encrypt: "disable"}, []string{"nothing is encrypted"}},
		{"login only", Config{Instance: "h", Encrypt: "false", TrustCert: true}, []string{"certificate is not checked", "only the login is encrypted"}},
		{"DSN without encrypt", Config{DSN: "sqlserver://sa:" + testPassword + "@h"}, []string{"certificate is not checked", "only the login is encrypted"}},
		{"DSN with strict", Config{DSN: "sqlserver://h?encrypt=strict"}, nil},
		{"DSN trusting", Config{DSN: "sqlserver://h?encrypt=true&TrustServerCertificate=true"}, []string{"certificate is not checked"}},
		{"embedded", Config{DSN: "sqlite:/tmp/x.db"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.Warnings()
			if len(got) != len(tt.want) {
				t.Fatalf("Warnings() = %q, want %d warnings", got, len(tt.want))
			}
			for i, w := range got {
				if !strings.HasPrefix(w, tt.cfg.Describe()+": ") || !strings.Contains(w, tt.want[i]) {
					t.Errorf("warning %q does not say %q", w, tt.want[i])
				}
				if f := leaksPassword(w); f != "" {
					t.Errorf("warning %q shows the password", w)
				}
			}
		})
	}
}
