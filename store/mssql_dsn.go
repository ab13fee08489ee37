package store

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcmig/pcmig/internal/nearest"
)

// ValidEncrypt reports whether v is an encrypt setting pcmig takes: ""
// (the default, true), true, false, strict or disable (and the driver's
// mandatory and optional), in any case, with spaces around.
func ValidEncrypt(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "true", "false", "strict", "disable", "mandatory", "optional":
		return true
	}
	return false
}

// ConnString builds the go-mssqldb connection URL for a SQL Server config.
// A full sqlserver:// DSN is used as given, with the defaults pcmig needs
// (database mgc, app name pcmig) added when the DSN does not set them in
// any letter case; everything else in it, authentication included, is the
// DSN's business. An Instance in the cmdlets' -DBInstance form ("host",
// "host\instance", "host,port", "host\instance,port") is turned into a URL
// with database mgc unless told otherwise, encryption on unless told
// otherwise, and either the SQL login in User and Password or, without a
// user, Windows integrated authentication: SSPI on Windows, Kerberos (krb5,
// with the FILE: credential cache in KRB5CCNAME or /tmp/krb5cc_UID and
// the configuration in KRB5_CONFIG or /etc/krb5.conf) elsewhere.
//
// The returned string may hold a password: never print it.
func ConnString(cfg Config) (string, error) {
	if cfg.DSN != "" {
		return dsnConnString(cfg)
	}
	host, instance, port, err := ParseInstance(cfg.Instance)
	if err != nil {
		return "", err
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
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
	enc := strings.ToLower(strings.TrimSpace(cfg.Encrypt))
	if !ValidEncrypt(enc) {
		// Never the value: it may be a secret typed in the wrong place.
		return "", errors.New("encrypt: want true, false, strict or disable")
	}
	if enc == "" {
		enc = "true"
	}
	q.Set("encrypt", enc)
	if err := tlsParams(cfg, q, enc); err != nil {
		return "", err
	}
	if err := authParams(cfg, &u, q); err != nil {
		return "", err
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// dsnConnString adds pcmig's defaults to a full sqlserver:// DSN.
func dsnConnString(cfg Config) (string, error) {
	if u, err := url.Parse(cfg.DSN); err == nil && userInfoCut(u) {
		// Checked first, and not shown: what parsed as its host and
		// instance (or query) is its user name and password.
		return "", errors.New("malformed SQL Server DSN (not shown: it holds a password): an @ follows its host, so a /, ? or # in its password (or user name) cut the URL short: write / as %2F, ? as %3F and # as %23 there (docs/connections.md)")
	}
	if strings.Contains(cfg.DSN, "#") {
		// Checked before parsing: a # in a password cuts the URL's user
		// information, so such a URL does not even parse.
		return "", fmt.Errorf("malformed SQL Server DSN %s: it holds a #, which ends a URL: write a # in a password or another value as %%23", redactDSN(cfg.DSN))
	}
	u, err := url.Parse(cfg.DSN)
	if err != nil || !strings.EqualFold(u.Scheme, "sqlserver") || u.Host == "" {
		return "", fmt.Errorf("malformed SQL Server DSN %s: want sqlserver://[user[:password]@]host[:port][/instance][?database=mgc]; "+
			"in a user name or password write any character but ASCII letters, digits and -._~ percent-encoded (a space as %%20, } as %%7D, %% as %%25, Ж as %%D0%%96)", redactDSN(cfg.DSN))
	}
	u.Scheme = "sqlserver" // go-mssqldb wants it in lower case
	if err := queryDropped(u.RawQuery); err != nil {
		return "", fmt.Errorf("malformed SQL Server DSN %s: %v", redactDSN(cfg.DSN), err)
	}
	q := u.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) { // the same key named every time
		if strings.EqualFold(k, "change password") {
			// The value never: it is the login's new password.
			return "", fmt.Errorf("SQL Server DSN %s: go-mssqldb's %q sets the SQL login's password at sign-in: pcmig does not change passwords (its first connection would, and every later one, signing in with the old password, would fail): "+
				"change it with ALTER LOGIN or SQL Server Management Studio, then give the new password (docs/connections.md)", redactDSN(cfg.DSN), k)
		}
		if err := dsnKeyRefused(cfg, k, q[k]); err != nil {
			return "", err
		}
		if instead, ok := adoOnlyKeys[strings.ToLower(k)]; ok {
			also := ""
			if instead == "database=NAME" {
				also = ", and pcmig would open database mgc"
			}
			// The key only, never its value: pwd holds a password.
			return "", fmt.Errorf("malformed SQL Server DSN %s: %q is a keyword of ADO.NET connection strings, which go-mssqldb does not read in a sqlserver:// URL (the connection would go on without it%s): write %s instead",
				redactDSN(cfg.DSN), k, also, instead)
		}
	}
	tails := passwordTails(u.RawQuery)
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if !driverKeys[strings.ToLower(k)] && !tails[k] {
			return "", unknownKeyError(cfg, k)
		}
	}
	if len(tails) > 0 {
		// Not named: it is most likely the rest of a password.
		return "", fmt.Errorf("malformed SQL Server DSN %s: a & in its query is followed by something go-mssqldb does not read, most likely the rest of a password or other value (not shown): write a & in a value as %%26 (docs/connections.md)", redactDSN(cfg.DSN))
	}
	// go-mssqldb matches keys in any case and refuses one given twice.
	has := func(key string) bool {
		for k := range q {
			if strings.EqualFold(k, key) {
				return true
			}
		}
		return false
	}
	if !has("database") {
		q.Set("database", "mgc")
	}
	if !has("app name") {
		q.Set("app name", appName(cfg))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// adoOnlyKeys are the ADO.NET names go-mssqldb (v1.11.2, msdsn
// adoSynonyms) reads in an ADO.NET-style connection string only: in a
// sqlserver:// URL it keeps them without reading them, and says nothing.
// Each maps to what a URL takes instead.
var adoOnlyKeys = map[string]string{
	"initial catalog":           "database=NAME",
	"data source":               "the URL's host (sqlserver://HOST[:PORT][/INSTANCE])",
	"address":                   "the URL's host (sqlserver://HOST[:PORT][/INSTANCE])",
	"network address":           "the URL's host (sqlserver://HOST[:PORT][/INSTANCE])",
	"addr":                      "the URL's host (sqlserver://HOST[:PORT][/INSTANCE])",
	"user":                      "the URL's user (sqlserver://USER:PASSWORD@HOST) or user id=USER",
	"uid":                       "the URL's user (sqlserver://USER:PASSWORD@HOST) or user id=USER",
	"pwd":                       "the URL's password (sqlserver://USER:PASSWORD@HOST) or password=PASSWORD",
	"app":                       "app name=NAME",
	"application name":          "app name=NAME",
	"connect timeout":           "dial timeout=SECONDS",
	"timeout":                   "dial timeout=SECONDS",
	"failover partner":          "failoverpartner=HOST",
	"failover partner spn":      "failoverpartnerspn=SPN",
	"application intent":        "applicationintent=VALUE",
	"trust server certificate":  "trustservercertificate=true",
	"multi subnet failover":     "multisubnetfailover=true",
	"host name in certificate":  "hostnameincertificate=NAME",
	"server spn":                "serverspn=SPN",
	"server certificate":        "servercertificate=FILE",
	"wsid":                      "workstation id=NAME",
	"column encryption setting": "columnencryption=VALUE",
}

// dsnKeyRefused refuses the keys go-mssqldb reads whose meaning would
// break what pcmig relies on, naming the key:
//
//   - "connection timeout" is not a time to connect: go-mssqldb (v1.11.2,
//     tds.go newTimeoutConn) sets it as a deadline before every read and
//     write of the connection for as long as the connection lives. A
//     statement the server answers more slowly (a lock pcmig waits for up
//     to a minute, sessionLockTimeout; the doctor's read of every tblChat
//     row, which sends nothing until the whole table is read; a large bulk
//     copy's reply) would end in an i/o timeout and a dropped connection,
//     in the middle of a migration. 0 (no deadline, the driver's default)
//     is taken.
//   - "timezone" is the zone go-mssqldb reads datetime values in; it
//     writes a time.Time's own wall clock, which pcmig gives in UTC
//     (mssqlDialect.datetime, bulk copy). With another zone every
//     datetime pcmig read back (prinVerifiedOn) would be shifted by the
//     zone's offset from what it wrote and from what the server holds,
//     and SQL Server's least datetime, which pcmig reads as "no time",
//     would no longer be recognised. UTC, the driver's default, is taken.
func dsnKeyRefused(cfg Config, k string, vals []string) error {
	v := ""
	if len(vals) > 0 {
		v = strings.TrimSpace(vals[len(vals)-1])
	}
	switch strings.ToLower(k) {
	case "connection timeout":
		if v == "0" {
			return nil
		}
		return fmt.Errorf("SQL Server DSN %s: go-mssqldb's %q is not a time to connect: it bounds every read of the connection for as long as the connection lives, so a statement the server answers more slowly "+
			"(a lock pcmig waits up to %d s for, the doctor's read of all of tblChat, a large bulk copy) would fail with an i/o timeout and a dropped connection: leave it out (or set it to 0); "+
			"bound connecting with dial timeout=SECONDS and a whole run with pcmig run --timeout (docs/connections.md)", redactDSN(cfg.DSN), k, int(sessionLockTimeout/time.Second))
	case "timezone":
		if v == "UTC" {
			return nil
		}
		return fmt.Errorf("SQL Server DSN %s: go-mssqldb's %q is the zone it reads datetime columns in, while pcmig writes and reads them as UTC: every date pcmig read back (prinVerifiedOn) would be shifted by the zone's offset from what the server holds: leave it out (or set it to UTC) (docs/connections.md)",
			redactDSN(cfg.DSN), k)
	}
	return nil
}

// driverKeys are the keys go-mssqldb (v1.11.2) reads from a sqlserver://
// URL's query, in lower case as it compares them: msdsn's keys (package
// msdsn, conn_str.go: Database ... EpaEnabled, and "columnencryption"),
// the named-pipe ones ("pipe"), integratedauth's "authenticator" and the
// krb5 authenticator's (integratedauth/krb5). The driver lower-cases a
// URL's keys and trims nothing; it reads no other key and says nothing of
// one it does not read, so a misspelt "databse=mgc_rehearsal" would open
// the login's default database (pcmig's database=mgc, added when missing).
// Azure AD's keys (fedauth, ...) are read only by the azuread driver,
// which pcmig does not use.
var driverKeys = map[string]bool{
	"database": true, "encrypt": true, "password": true, "change password": true, "user id": true,
	"port": true, "trustservercertificate": true, "certificate": true, "servercertificate": true,
	"tlsmin": true, "packet size": true, "log": true, "connection timeout": true,
	"hostnameincertificate": true, "keepalive": true, "serverspn": true, "workstation id": true,
	"app name": true, "applicationintent": true, "failoverpartner": true, "failoverport": true,
	"failoverpartnerspn": true, "disableretry": true, "server": true, "protocol": true,
	"dial timeout": true, "pipe": true, "multisubnetfailover": true, "notraceid": true,
	"guid conversion": true, "timezone": true, "epa enabled": true, "columnencryption": true,
	"authenticator": true, "krb5-configfile": true, "krb5-keytabfile": true,
	"krb5-credcachefile": true, "krb5-realm": true, "krb5-dnslookupkdc": true,
	"krb5-udppreferencelimit": true,
}

// queryDropped reports a URL query holding a pair that Go's URL parsing,
// and so go-mssqldb, drops without a word: one with a ";" (the ADO.NET
// habit "database=mgc_rehearsal;encrypt=true" would open mgc) or with a %
// not followed by two hex digits (a password "50%off" would be left out).
// The pair is never repeated: it may hold a password.
func queryDropped(raw string) error {
	if _, err := url.ParseQuery(raw); err == nil {
		return nil
	}
	if strings.Contains(raw, ";") {
		return errors.New("its query holds a ;, and go-mssqldb drops without a word every key=value holding one (database=NAME;encrypt=true would open the login's default database, or mgc): separate keys with & and write a ; in a value as %3B (docs/connections.md)")
	}
	return errors.New("its query holds a % not followed by two hex digits, and go-mssqldb drops without a word the key=value holding it: write a % in a password or other value as %25 (docs/connections.md)")
}

// passwordTails are the query's keys (unescaped, as url.Values holds them)
// that are most likely the rest of a value holding a bare &: a key without
// "=", or one right after a key holding a secret or a key the driver does
// not read ("password=Abc&Def=1" is the password "Abc&Def=1"). Such a key
// is neither named in an error nor shown by redactDSN.
func passwordTails(raw string) map[string]bool {
	tails := map[string]bool{}
	prevSecret := false
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, _, hasEq := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		unknown := !driverKeys[strings.ToLower(key)]
		if unknown && (prevSecret || !hasEq) {
			tails[key] = true
		}
		prevSecret = isSecretKey(key) || unknown
	}
	return tails
}

// unknownKeyError refuses a URL key go-mssqldb does not read, naming the
// key and the driver's nearest key, never the value (a misspelt password
// key holds a password): redactDSN masks the values of such keys.
func unknownKeyError(cfg Config, k string) error {
	near := ""
	if best := nearestKey(strings.ToLower(strings.TrimSpace(k))); best != "" {
		near = fmt.Sprintf(" (did you mean %q?)", best)
	}
	return fmt.Errorf("malformed SQL Server DSN %s: go-mssqldb does not read the key %q%s, and would connect without it, saying nothing: remove it or write a key go-mssqldb reads (docs/connections.md)",
		redactDSN(cfg.DSN), k, near)
}

// nearestKey is the key go-mssqldb reads that k is a slip of (as
// nearest.Name finds one, or the same once spaces are dropped), or "".
func nearestKey(k string) string {
	known := slices.Sorted(maps.Keys(driverKeys))
	for _, key := range known {
		if strings.ReplaceAll(key, " ", "") == strings.ReplaceAll(k, " ", "") {
			return key
		}
	}
	return nearest.Name(k, known)
}

// krb5Params sets go-mssqldb's Kerberos parameters for integrated
// authentication from Linux. The driver reads KRB5CCNAME itself but wants
// a plain path, and gokrb5 reads only file caches.
func krb5Params(cfg Config, q url.Values) error {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	q.Set("authenticator", "krb5")
	cc := cfg.Krb5CCache
	if cc == "" {
		cc = getenv("KRB5CCNAME")
	}
	switch {
	case cc == "":
		cc = fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	case strings.HasPrefix(cc, "FILE:"):
		cc = strings.TrimPrefix(cc, "FILE:")
	case strings.Contains(cc, ":") && !strings.HasPrefix(cc, "/"):
		return fmt.Errorf("Kerberos: credential cache %q is not a file credential cache (pcmig reads only FILE: caches); run kinit -c FILE:/tmp/krb5cc_$(id -u) and set KRB5CCNAME to that file, or use a SQL login", cc)
	}
	q.Set("krb5-credcachefile", cc)
	conf := cfg.Krb5Config
	if conf == "" {
		conf = getenv("KRB5_CONFIG")
	}
	if conf == "" {
		conf = "/etc/krb5.conf"
	}
	q.Set("krb5-configfile", conf)
	return nil
}

func appName(cfg Config) string {
	if cfg.AppName != "" {
		return cfg.AppName
	}
	return "pcmig"
}

// ParseInstance splits a -DBInstance value: "host", "host\instance",
// "host,port" or "host\instance,port", optionally with the "tcp:" prefix
// SQL Server clients accept. MSSQLSERVER is the default instance (returned
// as ""); "." and "(local)" are localhost.
func ParseInstance(s string) (host, instance, port string, err error) {
	in := s
	s = strings.TrimSpace(s)
	if len(s) > 4 && strings.EqualFold(s[:4], "tcp:") {
		s = s[4:]
	}
	bad := func(why string) (string, string, string, error) {
		return "", "", "", fmt.Errorf("database instance %q: %s", in, why)
	}
	if s == "" {
		return bad("empty: want HOST, HOST\\INSTANCE or HOST,PORT")
	}
	if i := strings.LastIndex(s, ","); i >= 0 {
		s, port = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strings.ContainsAny(port, "+-") {
			return bad(fmt.Sprintf("port %q is not a number from 1 to 65535", port))
		}
	}
	host = s
	if i := strings.Index(s, `\`); i >= 0 {
		host, instance = s[:i], s[i+1:]
		if instance == "" || strings.ContainsAny(instance, `\/,:@?# `) {
			return bad("want HOST\\INSTANCE")
		}
	}
	if strings.EqualFold(instance, "MSSQLSERVER") {
		instance = ""
	}
	switch {
	case host == "":
		return bad("no host name")
	case host == "." || strings.EqualFold(host, "(local)"):
		host = "localhost"
	case strings.Contains(host, ":"):
		if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
			host = ip.String()
			break
		}
		return bad("malformed host name (give a port as HOST,PORT)")
	case strings.ContainsAny(host, " /@?#[]%;="):
		return bad("malformed host name")
	}
	return host, instance, port, nil
}
