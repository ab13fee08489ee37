package store

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
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
	Instance string // host, host\instance, host,port or host\instance,port
	Database string // default "mgc"
	User     string // SQL login, or DOMAIN\user for NTLM; empty means integrated authentication
	Password string
	// Auth is how to log in: "" (a SQL login when User is set, Windows
	// integrated authentication otherwise), "sql", "windows" (integrated:
	// SSPI on Windows, Kerberos from a FILE: credential cache elsewhere),
	// "kerberos" (Kerberos on any system) or "ntlm" (User DOMAIN\user
	// with Password).
	Auth string
	// ServerSPN is the SQL Server service principal name Kerberos asks a
	// ticket for (MSSQLSvc/sql19.contoso.com:1433); the driver derives
	// MSSQLSvc/HOST:INSTANCE-or-PORT when it is empty.
	ServerSPN string
	// Krb5Config and Krb5CCache are the Kerberos configuration and the
	// FILE: credential cache for integrated authentication from Linux
	// (defaults: $KRB5_CONFIG or /etc/krb5.conf, $KRB5CCNAME or
	// /tmp/krb5cc_UID).
	Krb5Config, Krb5CCache string
	Encrypt                string // "true" (default), "false", "strict" or "disable"
	// TrustCert accepts any server certificate: anyone between pcmig and
	// the server can then read the traffic, password included. Lab SQL
	// only; Warnings says so.
	TrustCert bool
	// Certificate is a .pem or .der file of the certificate that issued
	// the server's certificate, or of a self-signed server certificate
	// itself: the chain and the host name are checked against it.
	Certificate string
	// ServerCertificate is a .pem or .der file of the server's exact
	// certificate (pinned): pcmig accepts that certificate and no other,
	// and checks neither chain nor host name.
	ServerCertificate string
	HostInCert        string // expected host name in the server certificate
	AppName           string
	// Getenv reads KRB5CCNAME and KRB5_CONFIG for integrated
	// authentication from Linux (default os.Getenv).
	Getenv func(string) string

	// Create makes a missing embedded database with the schema and static
	// rows. Reads never create: a mistyped source path is an error.
	Create bool
	// ReadOnly refuses every write.
	ReadOnly bool
	// OptionalLock opens an embedded database whose writer lock file
	// cannot be created (its folder is read-only or not writable for this
	// account) without the lock, read-only: Store.Unlocked says so, and
	// every write is refused, naming the fix. A caller that may only read
	// the database (pcmig run's source) sets it; without it, Open fails
	// with a *LockFolderError.
	OptionalLock bool
	// Force allows writes while Persistent Chat servers heartbeat.
	Force bool
	// HeartbeatWindow is how recent a tblServerIdentity.serverLastPingTime
	// must be to count as a live server (default 10 minutes).
	HeartbeatWindow time.Duration
	// LiveRecheck is how long a writing store trusts its last reading of
	// the heartbeats before it reads them again (default
	// DefaultLiveRecheck): long imports stop when a server comes up.
	LiveRecheck time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// SessionIdleCheck is how long a pooled SQL Server connection may sit
	// idle and still be reused without a request (default
	// DefaultSessionIdleCheck; see sessionConn.ResetSession).
	SessionIdleCheck time.Duration
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
	return "", fmt.Errorf("unrecognised database%s: want sqlite:PATH or sqlserver://", schemeHint(c.DSN))
}

// schemeHint names the scheme of an unrecognised database argument, never
// the rest of it: what follows may be a password in a form no redaction
// knows ("sqlserver:sa:secret@host").
func schemeHint(dsn string) string {
	scheme, _, ok := strings.Cut(dsn, ":")
	if !ok || scheme == "" || len(scheme) > 12 || strings.Trim(strings.ToLower(scheme), "abcdefghijklmnopqrstuvwxyz") != "" {
		return " (its text is not shown: it may hold a password)"
	}
	if strings.EqualFold(scheme, "sqlserver") || strings.EqualFold(scheme, "sqlite") {
		return fmt.Sprintf(" (it starts with %q but not as pcmig expects; the rest is not shown: it may hold a password)", scheme+":")
	}
	return fmt.Sprintf(" (scheme %q; the rest is not shown: it may hold a password)", scheme)
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
// password= style query parameter, or the password of an ADO.NET/ODBC
// style "key=value;..." string someone passed by mistake.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	if !strings.HasPrefix(strings.ToLower(dsn), "sqlserver://") {
		return redactKeyValues(dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "sqlserver://(unparseable DSN, hidden)"
	}
	if userInfoCut(u) {
		return "sqlserver://(DSN hidden: a / ? or # in its password is not percent-encoded)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for k := range passwordTails(u.RawQuery) {
		// Most likely the rest of a password holding a bare &: the
		// key itself is part of the secret.
		q.Del(k)
	}
	passwords := Config{DSN: dsn}.rawPasswords()
	for k := range q {
		// A key the driver does not read may be a misspelt password key
		// (pasword=...): such a DSN is refused, and its value never shown.
		// Nor is a value that is the DSN's password written in another
		// key too, whatever its length (the scrubber masks only 3 bytes
		// or more).
		if isSecretKey(k) || !driverKeys[strings.ToLower(k)] || slices.ContainsFunc(q[k], func(v string) bool {
			return slices.ContainsFunc(passwords, func(p string) bool { return strings.EqualFold(v, p) })
		}) {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	// What follows a "#" is most likely the rest of a password that was
	// not written %23.
	hidden := u.Fragment != "" || u.RawFragment != ""
	u.Fragment, u.RawFragment = "", ""
	if hidden {
		return u.String() + "#xxxxx"
	}
	return u.String()
}

// userInfoCut reports a URL whose user information was cut short by a /,
// ? or # not percent-encoded in its password: the @ that ends it then
// comes after the URL's host, which is really "user:first-part-of-the-
// password". "sqlserver://pcmig:2024/Winter!@sql19" parses as host
// pcmig:2024 with the instance "Winter!@sql19", which go-mssqldb sends
// to the SQL Server Browser of host pcmig, and which a DSN shown as it
// parsed would show whole. No instance name holds an @; nor does a query
// key, nor the value of a key go-mssqldb does not read (an @ in the value
// of one it reads, such as serverspn=MSSQLSvc/sql19:1433@CONTOSO.COM, or
// of a password key, never shown, is its own).
func userInfoCut(u *url.URL) bool {
	// With user information too: a password holding a bare @ before
	// its / ("sa:a@b/c@sql19" parses as password "a", host "b").
	if strings.Contains(u.Path, "@") || strings.Contains(u.RawPath, "@") || strings.Contains(u.Fragment, "@") || strings.Contains(u.RawFragment, "@") {
		return true
	}
	if u.User != nil {
		return false
	}
	for _, pair := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if key, err := url.QueryUnescape(k); err == nil {
			k = key
		}
		if val, err := url.QueryUnescape(v); err == nil {
			v = val
		}
		if strings.Contains(k, "@") || (!driverKeys[strings.ToLower(k)] && !isSecretKey(k) && strings.Contains(v, "@")) {
			return true
		}
	}
	return false
}

// isSecretKey reports whether a connection-string key holds a secret.
func isSecretKey(k string) bool {
	switch strings.ToLower(strings.TrimSpace(k)) {
	case "password", "pwd", "client secret", "clientsecret",
		// go-mssqldb's "change password": the login's new password.
		"change password":
		return true
	}
	return false
}

// redactKeyValues hides the values of secret keys in "k=v;k=v" text (an
// ADO.NET or ODBC connection string, "odbc:" in front allowed): one with
// a secret key is cut at that key, since a quoted value may itself contain
// ";". Text that is not such a string before that key (a part without
// "=", a key that is not a word: "sqlserver:sa:PASSWORD@host", a value
// quoted with a ";" in it) is hidden whole: where its password is cannot
// be told.
func redactKeyValues(dsn string) string {
	parts := strings.Split(dsn, ";")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		if ok && isSecretKey(k) {
			return strings.Join(append(parts[:i:i], k+"=xxxxx"), ";")
		}
		if i == 0 {
			if scheme, rest, found := strings.Cut(k, ":"); found && scheme != "" && strings.Trim(strings.ToLower(scheme), "abcdefghijklmnopqrstuvwxyz") == "" {
				k = rest
			}
		}
		if strings.TrimSpace(p) == "" && i == len(parts)-1 {
			continue // a trailing ";"
		}
		if !ok || !connKeyWord(k) {
			return "(unrecognised database, not shown: it may hold a password)"
		}
	}
	return dsn
}

// connKeyWord reports whether k is a connection string's key: letters,
// digits, spaces, "_", "." and "-" (User Id, Initial Catalog, Driver).
func connKeyWord(k string) bool {
	k = strings.TrimSpace(k)
	return k != "" && strings.IndexFunc(k, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '_' || r == '.' || r == '-')
	}) < 0
}

// Redact replaces every occurrence of the configured password in s. Errors
// from drivers may quote a connection string; everything the store returns
// passes through this.
//
// A password shorter than 3 bytes (possible for a SQL login created with
// CHECK_POLICY = OFF) cannot be masked wherever it occurs without
// garbling the text (every "1" of "127.0.0.1"); it is masked where a
// driver quotes a value it echoes ('ab', "ab", \"ab\": go-mssqldb's
// "invalid log parameter 'ab'", strconv's parsing "ab"), and where a host
// that does not resolve is named (a failoverpartner=ab). DSNs pcmig shows
// are masked by their structure instead (Describe), whatever the length.
func (c Config) Redact(s string) string {
	for _, secret := range c.secrets() {
		switch {
		case secret == "":
		case len(secret) >= 3:
			s = strings.ReplaceAll(s, secret, "xxxxx")
		default:
			// A host the connection could not find, named by pcmig
			// and by Go's resolver ("the host name ab does not
			// resolve", "lookup ab on ..."): a failoverpartner=ab.
			for _, q := range [][2]string{{"'", "'"}, {`"`, `"`}, {`\"`, `\"`}, {"host name ", " "}, {"lookup ", " "}} {
				s = strings.ReplaceAll(s, q[0]+secret+q[1], q[0]+"xxxxx"+q[1])
			}
		}
	}
	return s
}

// redactErr returns err itself when its text holds no secret, so that
// errors.Is still works, and a flattened, redacted copy otherwise.
func (c Config) redactErr(err error) error {
	if msg := c.Redact(err.Error()); msg != err.Error() {
		return errors.New(msg)
	}
	return err
}

// secrets are the passwords of a config in every form a driver or URL may
// print them: as given, escaped for a URL's user info, path or query, and
// in lower and upper case.
func (c Config) secrets() []string {
	var out []string
	for _, p := range c.rawPasswords() {
		userinfo := strings.TrimPrefix(url.UserPassword("", p).String(), ":")
		// A driver may repeat a value in another case (go-mssqldb's
		// "invalid encrypt 's3cretpw'").
		out = append(out, p, url.QueryEscape(p), url.PathEscape(p), userinfo, strings.ToLower(p), strings.ToUpper(p))
	}
	return out
}

// rawPasswords are the non-empty passwords of a config as given: Password,
// a DSN's user information and the values of its secret keys.
func (c Config) rawPasswords() []string {
	raw := []string{c.Password}
	if u, err := url.Parse(c.DSN); err == nil {
		if userInfoCut(u) {
			// The password is what lies between the first : and the first
			// @ of what follows "sqlserver://" (userInfoCut).
			rest := c.DSN[min(len(c.DSN), len("sqlserver://")):]
			info, _, _ := strings.Cut(rest, "@")
			if _, p, ok := strings.Cut(info, ":"); ok {
				raw = append(raw, p)
				if unescaped, err := url.PathUnescape(p); err == nil {
					raw = append(raw, unescaped)
				}
			}
		}
		if u.User != nil {
			if p, ok := u.User.Password(); ok {
				raw = append(raw, p)
			}
		}
		for k, v := range u.Query() {
			if isSecretKey(k) {
				raw = append(raw, v...)
			}
		}
	}
	return slices.DeleteFunc(raw, func(p string) bool { return p == "" })
}
