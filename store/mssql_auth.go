package store

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Authentication and TLS parameters of a SQL Server connection, in
// go-mssqldb v1.11.2's names (msdsn/conn_str.go: "certificate",
// "servercertificate", "hostnameincertificate", "trustservercertificate",
// "serverspn"; integratedauth: "authenticator" = "krb5", "ntlm" or, on
// Windows, "winsspi"; integratedauth/krb5: "krb5-configfile",
// "krb5-credcachefile"). Keys are matched in any case by the driver.

// authMethods are the values of Config.Auth.
var authMethods = []string{"sql", "windows", "kerberos", "ntlm"}

// authParams sets the login of an instance connection.
func authParams(cfg Config, u *url.URL, q url.Values) error {
	who := "database instance " + cfg.Instance
	auth := strings.ToLower(strings.TrimSpace(cfg.Auth))
	if auth == "integrated" {
		auth = "windows"
	}
	if cfg.ServerSPN != "" {
		q.Set("ServerSPN", cfg.ServerSPN)
	}
	switch auth {
	case "":
		switch {
		case cfg.User != "":
			// A SQL login; go-mssqldb logs a DOMAIN\user in with NTLM
			// (or SSPI on Windows) by itself.
			u.User = url.UserPassword(cfg.User, cfg.Password)
		case cfg.Password != "":
			return fmt.Errorf("%s: a password needs a user (SQL login); leave both empty for integrated authentication", who)
		case !isWindows():
			return krb5Params(cfg, q)
		}
	case "sql":
		switch {
		case cfg.User == "":
			return fmt.Errorf("%s: auth sql needs a user (the SQL login)", who)
		case strings.Contains(cfg.User, `\`):
			return fmt.Errorf(`%s: %q is a Windows account, not a SQL login: use auth ntlm (or windows for the account pcmig runs as)`, who, cfg.User)
		case cfg.Password == "":
			return fmt.Errorf("%s: auth sql needs the login's password (from the environment: password_env or $PCMIG_DB_PASSWORD)", who)
		}
		u.User = url.UserPassword(cfg.User, cfg.Password)
	case "windows", "kerberos":
		if cfg.User != "" || cfg.Password != "" {
			return fmt.Errorf("%s: auth %s logs in as the account pcmig runs as (its Kerberos ticket); remove the user and password, or use auth ntlm or sql", who, auth)
		}
		if auth == "kerberos" || !isWindows() {
			return krb5Params(cfg, q)
		}
	case "ntlm":
		if !strings.Contains(cfg.User, `\`) {
			return fmt.Errorf(`%s: auth ntlm needs a user written DOMAIN\user`, who)
		}
		if cfg.Password == "" {
			return fmt.Errorf("%s: auth ntlm needs the account's password (from the environment: password_env or $PCMIG_DB_PASSWORD)", who)
		}
		q.Set("authenticator", "ntlm")
		u.User = url.UserPassword(cfg.User, cfg.Password)
	default:
		return fmt.Errorf("%s: auth %q: want %s", who, cfg.Auth, strings.Join(authMethods, ", "))
	}
	return nil
}

// tlsParams sets how the server's certificate is checked.
func tlsParams(cfg Config, q url.Values, enc string) error {
	n := 0
	for _, set := range []bool{cfg.TrustCert, cfg.Certificate != "", cfg.ServerCertificate != ""} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return fmt.Errorf("TLS: give only one of trust_server_certificate, certificate and server_certificate")
	case n > 0 && enc == "disable":
		return fmt.Errorf("TLS: encrypt disable turns TLS off, so a certificate setting has nothing to check; use encrypt true or strict")
	case cfg.ServerCertificate != "" && cfg.HostInCert != "":
		return fmt.Errorf("TLS: a pinned server_certificate is compared byte for byte, so host_in_certificate does not apply: give one of them")
	}
	for _, c := range []struct{ key, path string }{{"certificate", cfg.Certificate}, {"serverCertificate", cfg.ServerCertificate}} {
		if c.path == "" {
			continue
		}
		if err := checkCertFile(c.path); err != nil {
			return err
		}
		q.Set(c.key, c.path)
	}
	if cfg.TrustCert {
		q.Set("TrustServerCertificate", "true")
	}
	if cfg.HostInCert != "" {
		q.Set("hostNameInCertificate", cfg.HostInCert)
	}
	return nil
}

// checkCertFile refuses a certificate file go-mssqldb cannot read: it
// takes .pem and .der files only.
func checkCertFile(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pem", ".der":
	default:
		return fmt.Errorf("TLS: certificate file %s: give a .pem or .der file (export the certificate in Base-64 (PEM) or DER form)", path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("TLS: certificate file: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("TLS: certificate file %s is a folder", path)
	}
	return nil
}

// Warnings are what an administrator must hear about a connection's
// security before it is used: certificates not checked, traffic not
// encrypted. Each names the database and says what is wrong, without a
// prefix of its own: commands print it after "pcmig: warning: ", the
// doctor in its WARN lines, a run as a WARN record.
func (c Config) Warnings() []string {
	kind, err := c.Kind()
	if err != nil || kind != "sqlserver" {
		return nil
	}
	trust, enc, encSet := c.TrustCert, strings.ToLower(strings.TrimSpace(c.Encrypt)), c.Encrypt != ""
	if c.DSN != "" {
		if _, err := dsnConnString(c); err != nil {
			return nil // refused when opened: no connection to warn about
		}
		encSet = false
		if u, err := url.Parse(c.DSN); err == nil {
			for k, v := range u.Query() {
				switch strings.ToLower(k) {
				case "trustservercertificate":
					trust = len(v) > 0 && isTrue(v[0])
				case "encrypt":
					encSet, enc = true, strings.ToLower(strings.Join(v, ""))
				}
			}
		}
		if !encSet {
			// go-mssqldb without encrypt: only the login is encrypted, and
			// any certificate is accepted (msdsn parseTLS).
			trust, enc = true, "false"
		}
	}
	var w []string
	if trust {
		w = append(w, c.Describe()+": the SQL Server certificate is not checked (trust_server_certificate): anyone on the network path can read and change the traffic, the login included. Acceptable on a lab only: pin the server's certificate instead (server_certificate / --db-server-certificate FILE) or trust its issuer (certificate / --db-certificate FILE).")
	}
	switch enc {
	case "false", "optional", "no", "0", "f":
		w = append(w, c.Describe()+": encrypt false: only the login is encrypted; names and chat history cross the network in clear. Use encrypt true or strict.")
	case "disable":
		w = append(w, c.Describe()+": encrypt disable: nothing is encrypted, the login and password included.")
	}
	return w
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "1", "t":
		return true
	}
	return false
}
