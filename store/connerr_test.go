package store

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

// TestConnectErrorsNameThePart: a failed connection says which part
// failed, never the password.
func TestConnectErrorsNameThePart(t *testing.T) {
	sqlLogin := Config{Instance: `sql19.contoso.com\rtc,1433`, User: "pcmig", Password: testPassword}
	tests := []struct {
		name string
		cfg  Config
		err  error
		want string
	}{
		{"wrong password", sqlLogin, mssql.Error{Number: 18456, Message: "login error: Login failed for user 'pcmig'."}, "login failed for the SQL login pcmig"},
		{"integrated login refused", Config{Instance: "sql19"}, mssql.Error{Number: 18456}, "login failed for the Windows account pcmig runs as"},
		{"NTLM login refused", Config{Instance: "sql19", Auth: "ntlm", User: `CONTOSO\pc`, Password: testPassword}, mssql.Error{Number: 18456}, `login failed for the Windows account CONTOSO\pc (NTLM)`},
		{"no such database", sqlLogin, mssql.Error{Number: 4060}, "the login cannot open database mgc"},
		{"untrusted certificate", sqlLogin, fmt.Errorf("TLS Handshake failed: %w", x509.UnknownAuthorityError{}), "TLS: the server's certificate is not trusted by this machine"},
		{"pinned certificate differs", Config{Instance: "h", ServerCertificate: "/etc/pcmig/sql19.pem"}, errors.New("TLS Handshake failed: server certificate doesn't match"), "not the pinned one (/etc/pcmig/sql19.pem)"},
		{"Kerberos cache missing", Config{Instance: "sql19"}, errors.New("krb5-credcachefile does not exist"), "Kerberos (integrated authentication from this machine)"},
		{"named instance without browser", Config{Instance: `sql19\rtc`}, errors.New("no instance matching 'rtc' returned from host 'sql19'"), `named instance rtc: the SQL Server Browser service on sql19 (UDP port 1434)`},
		{"unknown host", sqlLogin, &net.DNSError{Name: "sql19.contoso.com", Err: "no such host", IsNotFound: true}, "network: the host name sql19.contoso.com does not resolve"},
		{"port closed", sqlLogin, errors.New("unable to open tcp connection with host 'sql19.contoso.com:1433': connection refused"), "network: no connection to sql19.contoso.com:1433"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := explainConnect(tt.cfg, tt.err)
			if !errors.Is(err, ErrConnect) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("explainConnect() = %v, want ErrConnect saying %q", err, tt.want)
			}
			if _, isSQL := tt.err.(mssql.Error); isSQL && !errors.As(err, new(mssql.Error)) || !isSQL && !errors.Is(err, tt.err) {
				t.Errorf("explainConnect() does not wrap the driver's error")
			}
			if f := leaksPassword(err.Error()); f != "" {
				t.Errorf("error shows the password as %q", f)
			}
		})
	}
}

// TestOpenNamesThePart opens servers that are not there.
func TestOpenNamesThePart(t *testing.T) {
	port := hangupServer(t)
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{Instance: "127.0.0.1,1", User: "sa", Password: testPassword}, "network: no connection to 127.0.0.1:1"},
		{Config{Instance: "127.0.0.1," + port, User: "sa", Password: testPassword}, "handshake: the server closed the connection"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := Open(ctx, tt.cfg)
		cancel()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%s) = %v, want an error saying %q", tt.cfg.Instance, err, tt.want)
		}
	}
}

// hangupServer listens on a local port and hangs up on every connection
// during the pre-login handshake; it returns the port.
func hangupServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
