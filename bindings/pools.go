package bindings

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// pool resolves a pool argument: "source", "target", the name or FQDN of
// one of estate.sources, or a table with a db field (and optionally pool).
func (e *Env) pool(L *lua.LState, n int) estate.Pool {
	switch v := L.Get(n).(type) {
	case lua.LString:
		name := string(v)
		est := e.Estate
		if est == nil {
			pcrt.RaiseError(L, pcrt.KindArgument, "pool %q: this run has no estate", name)
		}
		switch {
		case strings.EqualFold(name, "target"):
			return est.Target
		case strings.EqualFold(name, "source") && est.Source != nil:
			return *est.Source
		}
		for _, p := range est.Sources {
			if strings.EqualFold(p.Name, name) || strings.EqualFold(p.Pool, name) {
				return p
			}
		}
		if est.Source != nil && strings.EqualFold(est.Source.Pool, name) {
			return *est.Source
		}
		if strings.EqualFold(est.Target.Pool, name) {
			return est.Target
		}
		pcrt.RaiseError(L, pcrt.KindNotFound, "pool %q is not in the estate (want source, target or a source's name)", name)
	case *lua.LTable:
		p := estate.Pool{Pool: lua.LVAsString(v.RawGetString("pool")), Name: lua.LVAsString(v.RawGetString("name"))}
		switch db := v.RawGetString("db").(type) {
		case lua.LString:
			p.DB = estate.DB{DSN: string(db)}
		case *lua.LTable:
			p.DB = estate.DB{Instance: lua.LVAsString(db.RawGetString("instance")), Database: lua.LVAsString(db.RawGetString("database")),
				User: lua.LVAsString(db.RawGetString("user")), PasswordEnv: lua.LVAsString(db.RawGetString("password_env")),
				Encrypt: lua.LVAsString(db.RawGetString("encrypt"))}
		default:
			L.ArgError(n, "pool table needs a db field (a DSN or {instance=..., database=...})")
		}
		return p
	default:
		L.ArgError(n, "pool expected: \"source\", \"target\" or a pool table")
	}
	return estate.Pool{}
}

// store opens (once per run) the database of a pool. In a dry run it is a
// simulated copy; writes to it are thrown away when the run ends.
func (e *Env) store(L *lua.LState, p estate.Pool) *store.Store {
	dir := ""
	if e.Estate != nil {
		dir = e.Estate.Dir
	}
	getenv := e.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	cfg, err := p.DB.Config(dir, getenv)
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", p.Pool, err)
	}
	key := cfg.Describe()
	e.mu.Lock()
	s, ok := e.stores[key]
	e.mu.Unlock()
	if ok {
		return s
	}
	cfg.Shadow = dryRun(L)
	cfg.Force = e.Force
	s, err = store.Open(L.Context(), cfg)
	if err != nil {
		raise(L, fmt.Errorf("pool %s: %w", p.Pool, err))
	}
	e.mu.Lock()
	if e.stores == nil {
		e.stores = map[string]*store.Store{}
	}
	e.stores[key] = s
	e.mu.Unlock()
	return s
}

// poolStore is pool and store together.
func (e *Env) poolStore(L *lua.LState, n int) (estate.Pool, *store.Store) {
	p := e.pool(L, n)
	return p, e.store(L, p)
}
