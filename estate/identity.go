package estate

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/store"
)

// SameDatabase reports whether two configurations name one database: the
// same embedded file (by path or by file identity: links, other
// spellings), or the same SQL Server instance and database, compared
// without case, with the default instance, port and database filled in
// and local names (".", "(local)", "localhost", 127.0.0.1) made one. A
// short host name matches an FQDN that starts with it. Two names of one
// server that look unrelated (an alias, an IP address) are not seen here;
// the pools' tblConfig pool IDs catch those when both are open.
func SameDatabase(a, b store.Config) bool {
	ka, errA := a.Kind()
	kb, errB := b.Kind()
	if errA != nil || errB != nil || ka != kb {
		return false
	}
	if ka == "sqlite" {
		return fsguard.Same(a.SQLitePath(), b.SQLitePath())
	}
	sa, sb := serverOf(a), serverOf(b)
	return sa.database == sb.database && sameServer(sa, sb)
}

// SameServer reports whether two SQL Server configurations name one
// server and instance, whatever their databases, compared as SameDatabase
// compares them.
func SameServer(a, b store.Config) bool {
	ka, errA := a.Kind()
	kb, errB := b.Kind()
	if errA != nil || errB != nil || ka != "sqlserver" || kb != "sqlserver" {
		return false
	}
	return sameServer(serverOf(a), serverOf(b))
}

// SameSignInServer reports whether two SQL Server configurations name
// the server a sign-in would reach: the same host name (without case or a
// trailing dot, local names made one), instance and port, the port as
// given (1433 for a default instance given none). Unlike SameServer a
// short host name never matches an FQDN that starts with it: to whoever
// sends a password or a Windows sign-in, "sql01" and
// "sql01.attacker.example" are two servers, and so are a named instance
// reached on two ports. It is the comparison for a script's pool tables
// (bindings/poolguard.go), where a mismatch lets a script send the
// operator's sign-in elsewhere.
func SameSignInServer(a, b store.Config) bool {
	ka, errA := a.Kind()
	kb, errB := b.Kind()
	if errA != nil || errB != nil || ka != "sqlserver" || kb != "sqlserver" {
		return false
	}
	sa, sb := serverOf(a), serverOf(b)
	return !sa.noHost && !sb.noHost && sa.host == sb.host && sa.instance == sb.instance && sa.givenPort == sb.givenPort
}

func sameServer(sa, sb server) bool {
	if sa.instance != sb.instance || sa.port != sb.port {
		return false
	}
	if sa.host == sb.host {
		return true
	}
	short := func(h string) string { s, _, _ := strings.Cut(h, "."); return s }
	return (!strings.Contains(sa.host, ".") || !strings.Contains(sb.host, ".")) && short(sa.host) == short(sb.host) && !isIP(sa.host) && !isIP(sb.host)
}

func isIP(h string) bool { return strings.Trim(h, "0123456789.") == "" || strings.Contains(h, ":") }

// server is a SQL Server database in comparable form.
type server struct {
	host, instance, port, database, givenPort string
	noHost                                    bool // none given (taken as localhost)
}

func serverOf(c store.Config) server {
	var s server
	if c.Instance != "" {
		host, rest, named := strings.Cut(c.Instance, `\`)
		if !named {
			host, s.port, _ = strings.Cut(c.Instance, ",")
		} else {
			s.instance, s.port, _ = strings.Cut(rest, ",")
		}
		s.host, s.database = host, c.Database
	} else if u, err := url.Parse(c.DSN); err == nil {
		s.host, s.port, s.instance = u.Hostname(), u.Port(), strings.Trim(u.Path, "/")
		for k, v := range u.Query() {
			if strings.EqualFold(k, "database") && len(v) > 0 {
				s.database = v[0]
			}
			// go-mssqldb takes the port from the query when the host
			// gives none (and refuses both).
			if strings.EqualFold(k, "port") && len(v) > 0 && s.port == "" {
				s.port = v[0]
			}
		}
	}
	s.noHost = strings.TrimSpace(s.host) == ""
	s.host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s.host)), ".")
	switch s.host {
	case ".", "(local)", "localhost", "127.0.0.1", "::1", "":
		s.host = "localhost"
	}
	s.instance = strings.ToLower(strings.TrimSpace(s.instance))
	if s.instance == "mssqlserver" {
		s.instance = ""
	}
	s.port = strings.TrimSpace(s.port)
	s.givenPort = s.port
	if s.instance == "" && s.givenPort == "" {
		s.givenPort = "1433"
	}
	if s.instance != "" {
		s.port = "" // a named instance is one instance whatever port it is reached on
	} else if s.port == "" {
		s.port = "1433"
	}
	s.database = strings.ToLower(strings.TrimSpace(s.database))
	if s.database == "" {
		s.database = "mgc"
	}
	return s
}

// checkDatabases refuses an estate two of whose pools are one database:
// exporting from and importing into one pool would double its history.
func (e *Estate) checkDatabases() error {
	pools := e.pools()
	cfgs := make([]store.Config, len(pools))
	for i, p := range pools {
		// Passwords do not matter to identity; a missing one is reported
		// when the database is opened.
		cfg, err := p.DB.Config(e.Dir, func(string) string { return "x" })
		if err != nil {
			return nil
		}
		cfgs[i] = cfg
	}
	var probs []string
	for i := range pools {
		for j := range i {
			if SameDatabase(cfgs[i], cfgs[j]) {
				probs = append(probs, fmt.Sprintf("the %s and the %s are one database (%s)", pools[j].role, pools[i].role, cfgs[i].Describe()))
			}
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("estate %s: %s: pcmig would read and write one pool as two", e.File, strings.Join(probs, "; "))
	}
	return nil
}

// CheckPoolIDs refuses an estate two of whose pools are one pool by the
// pool ID in their databases' tblConfig: a restored copy of a pool's
// database, or one database under two names SameDatabase cannot see
// through (an alias, an IP address). Runs call it before their first step,
// so that nothing (not step 1's archive either) is written for such an
// estate. Each database is opened read-only and closed again. One that
// cannot be opened now is left out: the run reports that when it opens
// the pool, and compares the pool IDs again then. It returns the pool IDs
// it read, by pool role ("source", "target", "sources[2]"), for Subject.
func (e *Estate) CheckPoolIDs(ctx context.Context, getenv func(string) string) (map[string]string, error) {
	type known struct {
		role, id string
		cfg      store.Config
	}
	var seen []known
	var probs []string
	ids := map[string]string{}
	for _, p := range e.pools() {
		cfg, err := p.DB.Config(e.Dir, getenv)
		if err != nil {
			continue
		}
		id, err := poolID(ctx, cfg)
		if err != nil || id == "" {
			continue
		}
		for _, k := range seen {
			if k.id == id {
				probs = append(probs, fmt.Sprintf("the %s and the %s are the same pool (pool ID %s in tblConfig of %s and of %s)",
					k.role, p.role, id, k.cfg.Describe(), cfg.Describe()))
			}
		}
		seen = append(seen, known{role: p.role, id: id, cfg: cfg})
		ids[p.role] = id
	}
	if len(probs) > 0 {
		return ids, fmt.Errorf("estate %s: %s: a copy of one pool's database cannot be the other pool, pcmig would read and write one pool as two",
			e.File, strings.Join(probs, "; "))
	}
	return ids, nil
}

// poolID reads the tblConfig pool ID of a database, opened read-only.
func poolID(ctx context.Context, cfg store.Config) (string, error) {
	cfg.ReadOnly = true
	s, err := store.Open(ctx, cfg)
	if err != nil {
		return "", err
	}
	id, err := s.PoolID(ctx)
	return id, errors.Join(err, s.Close())
}
