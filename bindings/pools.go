package bindings

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// pool resolves a pool argument: "source", "target", the name or FQDN of
// one of estate.sources, or a table with a db field (and optionally pool
// and name) read like a pool of the estate file, as the entries of
// estate.sources are.
func (e *Env) pool(L *lua.LState, n int) estate.Pool {
	switch v := L.Get(n).(type) {
	case lua.LString:
		name := strings.TrimSpace(string(v))
		if e.Estate == nil {
			pcrt.RaiseError(L, pcrt.KindArgument, "pool %q: this run has no estate", name)
		}
		if p, ok := e.estatePool(name); ok {
			return p
		}
		pcrt.RaiseError(L, pcrt.KindNotFound, "pool %q is not in the estate (want source, target or a source's name)", name)
	case *lua.LTable:
		return e.poolTable(L, n, v)
	default:
		L.ArgError(n, "pool expected: \"source\", \"target\", a source's name or a pool table")
	}
	return estate.Pool{}
}

// estatePool finds a pool of the estate by role ("source", "target"), by
// the name of one of its sources, or by FQDN.
func (e *Env) estatePool(name string) (estate.Pool, bool) {
	est := e.Estate
	if name == "" || est == nil {
		return estate.Pool{}, false
	}
	switch {
	case strings.EqualFold(name, "target"):
		return est.Target, true
	case strings.EqualFold(name, "source") && est.Source != nil:
		return *est.Source, true
	}
	for _, p := range est.Sources {
		if strings.EqualFold(p.Name, name) || sameFQDN(p.Pool, name) {
			return p, true
		}
	}
	if est.Source != nil && sameFQDN(est.Source.Pool, name) {
		return *est.Source, true
	}
	if sameFQDN(est.Target.Pool, name) {
		return est.Target, true
	}
	return estate.Pool{}, false
}

// sameFQDN compares two FQDNs as the estate does when it refuses two pools
// of one FQDN: without case or a trailing dot.
func sameFQDN(a, b string) bool {
	a, b = strings.TrimSuffix(a, "."), strings.TrimSuffix(b, ".")
	return a != "" && strings.EqualFold(a, b)
}

// poolTable reads a pool table. It takes the keys of a pool of the estate
// file (and db those of a database table), refusing others: a misspelt
// key would otherwise be ignored. Both must be plain tables (pcrt.CheckPlain).
func (e *Env) poolTable(L *lua.LState, n int, v *lua.LTable) estate.Pool {
	pcrt.CheckPlain(L, "", "a pool table", v)
	pcrt.CheckKeys(L, "", "pool table key", v, estate.PoolKeys())
	if db, ok := v.RawGetString("db").(*lua.LTable); ok {
		pcrt.CheckPlain(L, "", "a pool table's db", db)
		pcrt.CheckKeys(L, "", "db key", db, estate.DBKeys())
	}
	str := func(t *lua.LTable, key string) string {
		if s, ok := t.RawGetString(key).(lua.LString); ok {
			return strings.TrimSpace(string(s))
		}
		return ""
	}
	p := estate.Pool{Name: str(v, "name"), Pool: str(v, "pool"), Registrar: str(v, "registrar"), Archive: str(v, "archive")}
	switch db := v.RawGetString("db").(type) {
	case lua.LString:
		p.DB = estate.DB{DSN: string(db)}
	case *lua.LTable:
		p.DB = estate.DB{DSN: str(db, "dsn"), Instance: str(db, "instance"), Database: str(db, "database"),
			User: str(db, "user"), PasswordEnv: str(db, "password_env"), Encrypt: str(db, "encrypt"),
			TrustCert: lua.LVAsBool(db.RawGetString("trust_server_certificate")),
			Auth:      str(db, "auth"), ServerSPN: str(db, "server_spn"), Krb5Config: str(db, "krb5_config"), Krb5CCache: str(db, "krb5_ccache"),
			Certificate: str(db, "certificate"), ServerCertificate: str(db, "server_certificate"), HostInCert: str(db, "host_in_certificate")}
	default:
		L.ArgError(n, "pool table needs a db field (a DSN or {instance=..., database=...})")
	}
	// The estate's own pool table, as require("estate") gives it: its
	// DSN's password masked.
	p.DB.DSN = e.estateDSN(p.DB.DSN)
	// A password a script writes in a DSN is a secret too.
	e.Scrubber.Add(store.Config{DSN: p.DB.DSN}.Secrets()...)
	e.guardPoolTable(L, p)
	if p.Pool == "" {
		p.Pool = p.Name
	}
	return p
}

// store opens (once per run) the database of a pool. In a dry run it is a
// dry-run store: it reads the database and simulates writes in a private
// scratch copy, thrown away when the run ends.
func (e *Env) store(L *lua.LState, p estate.Pool) *store.Store {
	cfg, err := p.DB.Config(e.dir(), e.secretEnv)
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", poolLabel(p, "(unnamed)"), err)
	}
	key := cfg.Describe()
	e.claim(L, p, cfg)
	e.mu.Lock()
	s, ok := e.stores[key]
	e.mu.Unlock()
	if ok {
		return s
	}
	cfg.Shadow = dryRun(L)
	cfg.Force = e.Force
	// A database in a folder that cannot be written (a read-only mount)
	// is opened without its writer lock, read-only: a source that is only
	// read needs none, and a write to it is refused, naming the fix.
	cfg.OptionalLock = true
	for _, w := range cfg.Warnings() {
		warn(L, "%s", w)
	}
	open := e.OpenStore
	if open == nil {
		open = store.Open
	}
	s, err = open(L.Context(), cfg)
	if err != nil {
		raise(L, fmt.Errorf("pool %s: %w", poolLabel(p, key), err))
	}
	if err := e.identify(L.Context(), p, cfg, s); err != nil {
		raise(L, errors.Join(err, s.Close()))
	}
	if note := s.Unlocked(); note != "" {
		say(L, "pool %s: %s", poolLabel(p, key), note)
	}
	e.mu.Lock()
	if e.stores == nil {
		e.stores = map[string]*store.Store{}
	}
	e.stores[key] = s
	// The doctor's connection to this database, kept for the pre-flight
	// (doctorDB), is not needed once the run works on the database
	// itself: kept for the whole run, it held a second page cache
	// (11 MiB more peak RSS for a 20,000-room pool).
	kept := e.doctorTarget
	if kept != nil && e.doctorTargetKey == key {
		e.doctorTarget, e.doctorTargetKey = nil, ""
	} else {
		kept = nil
	}
	e.mu.Unlock()
	if kept != nil {
		_ = kept.Close() // read-only: nothing to lose
	}
	return s
}

// poolLabel names a pool in messages: its FQDN, its name, or else def.
func poolLabel(p estate.Pool, def string) string {
	switch {
	case p.Pool != "":
		return p.Pool
	case p.Name != "":
		return p.Name
	}
	return def
}

// poolStore is pool and store together.
func (e *Env) poolStore(L *lua.LState, n int) (estate.Pool, *store.Store) {
	p := e.pool(L, n)
	return p, e.store(L, p)
}
