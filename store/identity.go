package store

import (
	"net/url"
	"strings"

	"github.com/pcmig/pcmig/fsguard"
)

// Identity names the database itself, for records kept from one run to
// the next (an import journal says which database its rooms' starting
// points are of), without user, password or connection options:
//
//   - an embedded database: "sqlite:" and its file's absolute path with
//     symbolic links resolved ("target.db", "./target.db" and the absolute
//     path are one database; "target.db" in two folders two);
//   - SQL Server: "sqlserver://HOST[:PORT][/INSTANCE]?database=NAME", host
//     and instance in lower case (SQL Server compares neither by case), a
//     trailing dot of the host dropped, the default instance (MSSQLSERVER)
//     and the default port without an instance left out, the database
//     (default mgc) as given. One database reached through the --db-instance
//     form and a sqlserver:// DSN, with another login or other options, has
//     one identity.
//
// Two spellings of one server that only the network knows are one (an
// alias, a short name and its FQDN, an IP address) remain two identities:
// pcmig then takes one database for two, the safe mistake (an import reads
// each room's history to find where it stopped instead of trusting its
// journal, and verify does not use the journal). A database name spelled in
// other letter case is two identities for the same reason: on a server
// with a case-sensitive collation it may be another database.
//
// It is "" for a config that names no database pcmig could open (no
// kind, a malformed DSN or instance): never one database's identity.
func (c Config) Identity() string {
	kind, err := c.Kind()
	if err != nil {
		return ""
	}
	if kind == "sqlite" {
		return "sqlite:" + fsguard.Resolve(c.SQLitePath())
	}
	var host, instance, port, db string
	if c.DSN == "" {
		host, instance, port, err = ParseInstance(c.Instance)
		if err != nil {
			return ""
		}
		db = c.Database
	} else {
		u, err := url.Parse(c.DSN)
		if err != nil || u.Host == "" || !strings.EqualFold(u.Scheme, "sqlserver") || userInfoCut(u) {
			return ""
		}
		host, port = u.Hostname(), u.Port()
		instance = strings.Trim(u.Path, "/")
		if strings.EqualFold(instance, "MSSQLSERVER") {
			instance = ""
		}
		for k, v := range u.Query() {
			if strings.EqualFold(k, "database") && len(v) > 0 {
				db = v[0]
			}
		}
	}
	if db == "" {
		db = "mgc"
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "." || host == "(local)" {
		host = "localhost"
	}
	if instance == "" && port == "1433" {
		port = ""
	}
	u := url.URL{Scheme: "sqlserver", Host: host}
	if strings.Contains(host, ":") { // IPv6 literal
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host += ":" + port
	}
	if instance != "" {
		u.Path = "/" + strings.ToLower(instance)
	}
	u.RawQuery = url.Values{"database": {db}}.Encode()
	return u.String()
}

// Identity names the database itself, without secrets: see
// Config.Identity.
func (s *Store) Identity() string { return s.cfg.Identity() }
