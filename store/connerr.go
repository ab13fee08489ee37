package store

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
)

// ErrConnect is wrapped by the errors of a connection to SQL Server that
// failed; the message says which part failed (network, named instance,
// TLS, Kerberos, NTLM, login, database) and what to do.
var ErrConnect = errors.New("cannot connect to SQL Server")

// sqlErrorNumber is implemented by go-mssqldb's server errors.
type sqlErrorNumber interface{ SQLErrorNumber() int32 }

// explainConnect turns a failed connection into an error that names the
// part that failed. It never quotes the connection string; Open redacts
// the configured password from what the driver says.
func explainConnect(cfg Config, err error) error {
	part, advice := connectPart(cfg, err)
	return fmt.Errorf("%w: %s: %s: %s (%w)", ErrConnect, cfg.Describe(), part, advice, err)
}

func connectPart(cfg Config, err error) (part, advice string) {
	msg := strings.ToLower(err.Error())
	host, instance, port := "", "", ""
	if cfg.Instance != "" {
		host, instance, port, _ = ParseInstance(cfg.Instance)
	} else if u, perr := url.Parse(cfg.DSN); perr == nil {
		host, port, instance = u.Hostname(), u.Port(), strings.Trim(u.Path, "/")
	}
	auth := strings.ToLower(cfg.Auth)
	var num sqlErrorNumber
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &num) && num.SQLErrorNumber() == 18456:
		return "login failed for " + loginDescription(cfg), "check the user name and the password in the environment variable, and that the login exists on the server and is enabled (the server's error log gives the reason, state 5: unknown user, 8: wrong password)"
	case errors.As(err, &num) && num.SQLErrorNumber() == 4060:
		db := cfg.Database
		if db == "" {
			db = "mgc"
		}
		return "the login cannot open database " + db, "check the database name and that the login has a user in it (db_datareader, db_datawriter)"
	case strings.Contains(msg, "krb5") || strings.Contains(msg, "kerberos") || strings.Contains(msg, "kdc"):
		return "Kerberos (integrated authentication from this machine)", "run kinit to get a ticket into the FILE: credential cache (KRB5CCNAME), check the krb5.conf realm and KDCs, and that the SQL Server's service principal name is registered (setspn -L on its service account; give it with --db-server-spn when it differs from MSSQLSvc/HOST:PORT)"
	case strings.Contains(msg, "ntlm") || auth == "ntlm":
		return "NTLM authentication as " + cfg.User, "check DOMAIN\\user and the password, and that the server accepts NTLM"
	case errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &invalid) || strings.Contains(msg, "tls handshake") || strings.Contains(msg, "certificate"):
		switch {
		case cfg.ServerCertificate != "":
			return "TLS: the server's certificate is not the pinned one (" + cfg.ServerCertificate + ")", "export the certificate the server uses now and pin that file"
		case cfg.Certificate != "":
			return "TLS: the server's certificate does not check against " + cfg.Certificate, "give the file of the certificate the server presents (or of its issuer), and --db-host-in-certificate when the name in it differs from the host you connect to"
		}
		return "TLS: the server's certificate is not trusted by this machine", "give its certificate or its issuer's with --db-certificate FILE (certificate = FILE in the estate), pin it with --db-server-certificate FILE, or, on a lab only, --db-trust-server-certificate"
	case instance != "" && port == "" && (strings.Contains(msg, "no instance matching") || strings.Contains(msg, "sql server browser")):
		return fmt.Sprintf("named instance %s: the SQL Server Browser service on %s (UDP port 1434) did not give its port", instance, host), fmt.Sprintf("start the SQL Server Browser service or open UDP 1434, or give the instance's TCP port: %s\\%s,PORT", host, instance)
	case errors.As(err, &dnsErr):
		return "network: the host name " + dnsErr.Name + " does not resolve", "check the host name (a fully qualified name as in the topology)"
	case errors.Is(err, io.EOF) || strings.Contains(msg, "connection reset"):
		return "handshake: the server closed the connection during the pre-login handshake", "check that the port is SQL Server's and not another service's, and, with encrypt strict, that the server speaks TDS 8.0 (SQL Server 2022 and later)"
	case errors.As(err, &opErr) || strings.Contains(msg, "unable to open tcp connection") || strings.Contains(msg, "i/o timeout"):
		where := host
		if port != "" {
			where += ":" + port
		}
		return "network: no connection to " + where, "check the host name, the port (host,PORT or host\\instance,PORT) and the firewall; SQL Server listens on TCP 1433 unless configured otherwise"
	}
	return "the connection failed", "see the driver's message"
}

// loginDescription names the identity a connection logs in with.
func loginDescription(cfg Config) string {
	switch {
	case strings.EqualFold(cfg.Auth, "ntlm"):
		return "the Windows account " + cfg.User + " (NTLM)"
	case cfg.User != "" && strings.Contains(cfg.User, `\`):
		return "the Windows account " + cfg.User
	case cfg.User != "":
		return "the SQL login " + cfg.User
	case cfg.DSN != "":
		return "the login in the DSN"
	}
	return "the Windows account pcmig runs as (integrated authentication)"
}
