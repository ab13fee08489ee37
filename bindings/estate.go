package bindings

import (
	lua "github.com/yuin/gopher-lua"

	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// estateLoader: require("estate") returns the estate as a table (the file's
// table, with paths made absolute and kind, on_conflict, category_policy,
// move_batch, allow_other_site and export.level filled in with their
// defaults, the enumerated ones in their canonical spelling), plus:
//
//	estate.is_lab() -> boolean     pcmig applies topology and user changes itself
//	estate.dry_run() -> boolean    this run is a dry run
func (e *Env) estateLoader(L *lua.LState) int {
	if e.Estate == nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "this run has no estate: give --estate FILE")
	}
	t := toLua(L, e.Estate.Raw).(*lua.LTable)
	for k, v := range map[string]string{"topology": e.Estate.Topology, "directory": e.Estate.Directory,
		"archive": e.Estate.Archive, "runbook": e.Estate.Runbook, "state": e.Estate.State, "file": e.Estate.File,
		"pool_settings": e.Estate.PoolSettings} {
		if v != "" {
			t.RawSetString(k, lua.LString(v))
		}
	}
	// The settings the estate package defaults, as it reads them.
	t.RawSetString("kind", lua.LString(e.Estate.Kind))
	t.RawSetString("on_conflict", lua.LString(e.Estate.OnConflict))
	t.RawSetString("category_policy", lua.LString(e.Estate.CategoryPolicy))
	t.RawSetString("move_batch", lua.LNumber(e.Estate.MoveBatch))
	t.RawSetString("allow_other_site", lua.LBool(e.Estate.AllowOtherSite))
	exp, ok := t.RawGetString("export").(*lua.LTable)
	if !ok {
		exp = L.NewTable()
		t.RawSetString("export", exp)
	}
	exp.RawSetString("level", lua.LString(e.Estate.Export.Level)) // its canonical spelling
	if e.Estate.Routes != nil {
		// routes as read (from its file too), by pool FQDN in lower case;
		// the export's scope is the target's list (estate.loadRoutes).
		routes := L.NewTable()
		for pool, names := range e.Estate.Routes {
			routes.RawSetString(pool, toLua(L, names))
		}
		t.RawSetString("routes", routes)
		t.RawSetString("successor", lua.LString(e.Estate.Successor))
		exp.RawSetString("scope", toLua(L, e.Estate.Export.Scope))
	}
	if sources, ok := t.RawGetString("sources").(*lua.LTable); ok {
		for i, s := range e.Estate.Sources {
			if st, ok := sources.RawGetInt(i + 1).(*lua.LTable); ok && s.Archive != "" {
				st.RawSetString("archive", lua.LString(s.Archive))
			}
		}
	}
	// A DSN's password never reaches the script: a script could write it
	// out in a form the scrubber does not know (reversed, spaced).
	for _, pt := range estatePoolTables(t) {
		switch db := pt.RawGetString("db").(type) {
		case lua.LString:
			pt.RawSetString("db", lua.LString(scriptDSN(string(db))))
		case *lua.LTable:
			if dsn, ok := db.RawGetString("dsn").(lua.LString); ok {
				db.RawSetString("dsn", lua.LString(scriptDSN(string(dsn))))
			}
		}
	}
	setFuncs(L, t, "estate", map[string]lua.LGFunction{
		"is_lab":  func(L *lua.LState) int { L.Push(lua.LBool(e.Estate.IsLab())); return 1 },
		"dry_run": func(L *lua.LState) int { L.Push(lua.LBool(dryRun(L))); return 1 },
	})
	L.Push(t)
	return 1
}

// estatePoolTables are the pool tables of the estate's table: source,
// target and each of sources.
func estatePoolTables(t *lua.LTable) []*lua.LTable {
	var out []*lua.LTable
	for _, k := range []string{"source", "target"} {
		if pt, ok := t.RawGetString(k).(*lua.LTable); ok {
			out = append(out, pt)
		}
	}
	if sources, ok := t.RawGetString("sources").(*lua.LTable); ok {
		for i := 1; i <= sources.Len(); i++ {
			if pt, ok := sources.RawGetInt(i).(*lua.LTable); ok {
				out = append(out, pt)
			}
		}
	}
	return out
}

// scriptDSN is a DSN as scripts see it: one that holds a password (a
// sqlserver:// URL's user info or password= value) with the password
// masked, as pcmig shows DSNs (one whose password cut it short, hidden
// whole: store.UserInfoCut); any other unchanged.
func scriptDSN(dsn string) string {
	cfg := store.Config{DSN: dsn}
	if dsn == "" || (len(cfg.Secrets()) == 0 && !store.UserInfoCut(dsn)) {
		return dsn
	}
	return cfg.Describe()
}

// estateDSN returns the DSN of the estate's pool whose DSN scripts see as
// dsn (scriptDSN), so that a script may pass the estate's own pool table
// (estate.sources[1]) to a module; any other dsn unchanged.
func (e *Env) estateDSN(dsn string) string {
	if e.Estate == nil || dsn == "" {
		return dsn
	}
	for _, rp := range e.Estate.Roles() {
		if real := rp.Pool.DB.DSN; real != "" && real != dsn && scriptDSN(real) == dsn {
			return real
		}
	}
	return dsn
}
