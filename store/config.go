package store

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Config says which Persistent Chat database to open and how.
//
// A DSN is either `sqlite:PATH` (the embedded store) or a full go-mssqldb
// `sqlserver://` URL. Administrators may instead give the terms they use with
// the cmdlets: Instance ("sqlhost.contoso.com\rtc", the -DBInstance value),
// Database (default mgc) and a SQL login or Windows integrated
// authentication. Passwords are never printed: use Describe.
type Config struct {
	DSN string // sqlite:PATH or sqlserver://...; empty when Instance is used

	// SQL Server by instance name.
	Instance   string // host, host\instance or host,port
	Database   string // default "mgc"
	User       string // SQL login; empty means integrated authentication
	Password   string
	Encrypt    string // "true" (default), "false", "strict" or "disable"
	TrustCert  bool   // trust the server certificate (lab SQL only)
	HostInCert string // expected host name in the server certificate
	AppName    string

	// Create makes a missing embedded database with the schema and static
	// rows. Reads never create: a mistyped source path is an error.
	Create bool
	// ReadOnly refuses every write.
	ReadOnly bool
	// Force allows writes while Persistent Chat servers heartbeat.
	Force bool
	// HeartbeatWindow is how recent a tblServerIdentity.serverLastPingTime
	// must be to count as a live server (default 10 minutes).
	HeartbeatWindow time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// Shadow opens a private simulated copy: reads see the real data, writes
	// go to the copy and are thrown away on Close (dry runs).
	Shadow bool
}

// Kind is the dialect of a Config: "sqlite" or "sqlserver".
func (c Config) Kind() (string, error) {
	switch {
	case c.Instance != "" && c.DSN != "":
		return "", errors.New("give either a DSN or a database instance, not both")
	case c.Instance != "":
		return "sqlserver", nil
	case strings.HasPrefix(c.DSN, "sqlite:"):
		if strings.TrimPrefix(c.DSN, "sqlite:") == "" {
			return "", errors.New("sqlite DSN has no path: want sqlite:PATH")
		}
		return "sqlite", nil
	case strings.HasPrefix(strings.ToLower(c.DSN), "sqlserver://"):
		return "sqlserver", nil
	case c.DSN == "":
		return "", errors.New("no database given: use --db sqlite:PATH, --db sqlserver://... or --db-instance HOST\\INSTANCE")
	}
	return "", fmt.Errorf("unrecognised database %q: want sqlite:PATH or sqlserver://", redactDSN(c.DSN))
}

// SQLitePath is the file of an embedded DSN.
func (c Config) SQLitePath() string { return strings.TrimPrefix(c.DSN, "sqlite:") }

// Describe names the database for people and reports, without secrets.
func (c Config) Describe() string {
	if c.Instance != "" {
		db := c.Database
		if db == "" {
			db = "mgc"
		}
		return fmt.Sprintf("sqlserver %s database %s", c.Instance, db)
	}
	return redactDSN(c.DSN)
}

// redactDSN removes passwords from a DSN: the URL user info and any
// password= style query parameter.
func redactDSN(dsn string) string {
	if !strings.HasPrefix(strings.ToLower(dsn), "sqlserver://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "sqlserver://(unparseable DSN, hidden)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for k := range q {
		switch strings.ToLower(k) {
		case "password", "pwd", "client secret", "clientsecret":
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Redact replaces every occurrence of the configured password in s. Errors
// from drivers may quote a connection string; everything the store returns
// passes through this.
func (c Config) Redact(s string) string {
	for _, secret := range c.secrets() {
		if secret != "" && len(secret) >= 3 {
			s = strings.ReplaceAll(s, secret, "xxxxx")
		}
	}
	return s
}

func (c Config) secrets() []string {
	out := []string{c.Password}
	if u, err := url.Parse(c.DSN); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			out = append(out, p, url.QueryEscape(p), url.PathEscape(p))
		}
		for k, v := range u.Query() {
			if strings.EqualFold(k, "password") || strings.EqualFold(k, "pwd") {
				out = append(out, v...)
			}
		}
	}
	return out
}
