package store

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// ConnString builds the go-mssqldb connection URL for a SQL Server config.
// A full sqlserver:// DSN is used as given (with the defaults pcmig needs
// added); an Instance in the cmdlets' -DBInstance form ("host\instance",
// "host,port", "host") is turned into a URL with database mgc unless told
// otherwise. Without a user, Windows integrated authentication is used: SSPI
// on Windows, Kerberos (krb5, the credential cache in KRB5CCNAME) elsewhere.
//
// The returned string may hold a password: never print it.
func ConnString(cfg Config) (string, error) {
	if cfg.DSN != "" {
		u, err := url.Parse(cfg.DSN)
		if err != nil || !strings.EqualFold(u.Scheme, "sqlserver") || u.Host == "" {
			return "", fmt.Errorf("malformed SQL Server DSN %s: want sqlserver://[user[:password]@]host[/instance][?database=mgc]", redactDSN(cfg.DSN))
		}
		q := u.Query()
		if q.Get("database") == "" {
			q.Set("database", "mgc")
		}
		if q.Get("app name") == "" {
			q.Set("app name", appName(cfg))
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	host, instance, port, err := ParseInstance(cfg.Instance)
	if err != nil {
		return "", err
	}
	u := url.URL{Scheme: "sqlserver", Host: host}
	if port != "" {
		u.Host = host + ":" + port
	}
	if instance != "" {
		u.Path = "/" + instance
	}
	q := url.Values{}
	db := cfg.Database
	if db == "" {
		db = "mgc"
	}
	q.Set("database", db)
	q.Set("app name", appName(cfg))
	enc := cfg.Encrypt
	if enc == "" {
		enc = "true"
	}
	switch enc {
	case "true", "false", "strict", "disable", "mandatory", "optional":
	default:
		return "", fmt.Errorf("encrypt %q: want true, false, strict or disable", enc)
	}
	q.Set("encrypt", enc)
	if cfg.TrustCert {
		q.Set("TrustServerCertificate", "true")
	}
	if cfg.HostInCert != "" {
		q.Set("hostNameInCertificate", cfg.HostInCert)
	}
	if cfg.User != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	} else if !isWindows() {
		q.Set("authenticator", "krb5")
		if cc := os.Getenv("KRB5CCNAME"); cc != "" {
			q.Set("krb5-credcachefile", strings.TrimPrefix(cc, "FILE:"))
		}
		if conf := os.Getenv("KRB5_CONFIG"); conf != "" {
			q.Set("krb5-configfile", conf)
		} else {
			q.Set("krb5-configfile", "/etc/krb5.conf")
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func appName(cfg Config) string {
	if cfg.AppName != "" {
		return cfg.AppName
	}
	return "pcmig"
}

// ParseInstance splits a -DBInstance value: "host", "host\instance",
// "host,port" or "host\instance,port". MSSQLSERVER is the default instance.
func ParseInstance(s string) (host, instance, port string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", "", fmt.Errorf("empty database instance: want HOST or HOST\\INSTANCE")
	}
	if i := strings.LastIndex(s, ","); i >= 0 {
		s, port = s[:i], strings.TrimSpace(s[i+1:])
		for _, r := range port {
			if r < '0' || r > '9' {
				return "", "", "", fmt.Errorf("database instance %q: port %q is not a number", s, port)
			}
		}
		if port == "" {
			return "", "", "", fmt.Errorf("database instance %q: empty port", s)
		}
	}
	host = s
	if i := strings.Index(s, `\`); i >= 0 {
		host, instance = s[:i], s[i+1:]
		if instance == "" || strings.ContainsAny(instance, `\/`) {
			return "", "", "", fmt.Errorf("database instance %q: want HOST\\INSTANCE", s)
		}
	}
	if strings.EqualFold(instance, "MSSQLSERVER") {
		instance = ""
	}
	if host == "" || strings.ContainsAny(host, " /@?#") {
		return "", "", "", fmt.Errorf("database instance %q: malformed host name", s)
	}
	if host == "." || strings.EqualFold(host, "(local)") {
		host = "localhost"
	}
	return host, instance, port, nil
}
