package bindings

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/estate"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// The doctor module: the read-only pre-flight of a pool's database
// (store.Doctor), for scripts to run before their first write.

func (e *Env) doctorLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "doctor", map[string]lua.LGFunction{"check": e.doctorCheck, "require": e.doctorRequire})
	L.Push(t)
	return 1
}

// doctorResult is what doctor.check returns to Lua.
type doctorResult struct {
	OK       bool                `json:"ok"`
	Fails    int                 `json:"fails"`
	Warnings int                 `json:"warnings"`
	Database string              `json:"database"`
	Role     string              `json:"role"`
	Checks   []store.DoctorCheck `json:"checks"`
}

func (e *Env) doctorCheck(L *lua.LState) int {
	r := e.doctor(L)
	L.Push(toLua(L, doctorResult{OK: !r.Failed(), Fails: r.Count(store.DoctorFail), Warnings: r.Count(store.DoctorWarn),
		Database: r.Database, Role: r.Role, Checks: r.Checks}))
	return 1
}

// doctorRequire logs every WARN and FAIL line and raises a validation
// error when a check failed.
func (e *Env) doctorRequire(L *lua.LState) int {
	r := e.doctor(L)
	var fails []string
	for _, c := range r.Checks {
		line := fmt.Sprintf("doctor %s: %s %s: %s", r.Database, c.Status, c.Check, c.Message)
		if c.Action != "" {
			line += " (" + c.Action + ")"
		}
		switch c.Status {
		case store.DoctorFail:
			logError(L, "%s", line)
			fails = append(fails, c.Check+": "+c.Message)
		case store.DoctorWarn:
			warn(L, "%s", line)
		}
	}
	if len(fails) > 0 {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s is not ready (pcmig doctor): %s", r.Database, strings.Join(fails, "; "))
	}
	L.Push(toLua(L, doctorResult{OK: true, Warnings: r.Count(store.DoctorWarn), Database: r.Database, Role: r.Role, Checks: r.Checks}))
	return 1
}

// doctor runs store.Doctor on the pool of argument 1 with the options of
// argument 2: role, file (the archive to import, for the space checks) and
// size_from (pools whose messages the import brings), and adds the pool's
// file store line (FileStoreCheck), judged as pool.copy_files judges a lab
// or a real estate, and for a lab's target its pool settings line
// (PoolSettingsCheck).
func (e *Env) doctor(L *lua.LState) *store.DoctorReport {
	p := e.pool(L, 1)
	o := opts(L, "doctor.check") // doctor.require takes the same keys
	role := store.RoleSource
	if e.Estate != nil && p.Pool == e.Estate.Target.Pool {
		role = store.RoleTarget
	}
	role = optEnum(L, o, "role", role, store.RoleSource, store.RoleTarget)
	cfg, err := p.DB.Config(e.dir(), e.secretEnv)
	// An empty or unset password_env variable is the database's FAIL
	// connection line, naming the variable, as in pcmig doctor --estate:
	// the script sees the report, and doctor.require fails as for any
	// FAIL. A db table that names no database is the script's mistake.
	unconfigured := err
	if err != nil && (p.DB.PasswordEnv == "" || cfg.Password != "") {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", poolLabel(p, "(unnamed)"), err)
	}
	dopts := store.DoctorOptions{Role: role, Relaxed: dryRun(L) || e.Force}
	// The estate's export carries lone surrogates as U+FFFD: its sources'
	// text line warns of them instead of failing.
	dopts.ReplaceUnpaired = role == store.RoleSource && e.Estate != nil && e.Estate.Export.ReplaceUnpairedSurrogates
	if f := optString(L, o, "file", ""); f != "" {
		bytes, msgs, err := ArchiveSize(e.input(e.file(L, f)))
		check(L, err)
		dopts.ImportBytes, dopts.ImportMessages = bytes, msgs
	}
	for _, name := range optStrings(L, o, "size_from") {
		src, ok := estate.Pool{}, false
		if e.Estate != nil {
			src, ok = e.estatePool(name)
		}
		if !ok {
			L.ArgError(2, fmt.Sprintf("size_from: pool %q is not in the estate", name))
		}
		// An estate of some categories (export.scope, routes) imports
		// the messages of their rooms only.
		var scope []string
		if e.Estate != nil && e.Estate.Source != nil && src.Pool == e.Estate.Source.Pool {
			scope = e.Estate.Export.Scope
		}
		b, m, err := store.MessageSizeIn(L.Context(), e.store(L, src), scope)
		check(L, err)
		dopts.ImportBytes += b
		dopts.ImportMessages += m
	}
	var r *store.DoctorReport
	if unconfigured != nil {
		r, err = store.DoctorUnconfigured(cfg, role, unconfigured), nil
	} else {
		if role == store.RoleSource {
			// The import compares an archive's names as its target does
			// (as pcmig doctor --estate checks them).
			dopts.TargetNames = e.targetNames(L, p)
		}
		db, done := e.doctorDB(L, p, cfg)
		r, err = db.Check(L.Context(), dopts)
		done(err != nil || connectionFailed(r))
	}
	check(L, err)
	if c, ok := FileStoreCheck(p, role, e.Estate != nil && !e.Estate.IsLab(), !dryRun(L)); ok {
		r.Checks = append(r.Checks, c)
	}
	if e.Estate != nil && p.Pool == e.Estate.Target.Pool {
		if c, ok := PoolSettingsCheck(e.Estate, role, e.input(e.Estate.PoolSettings)); ok {
			r.Checks = append(r.Checks, c)
		}
		if role == store.RoleTarget {
			links := func(p estate.Pool, files []string) string { return e.linkedFrom(L, p, files) }
			only := func(p estate.Pool) func(string) bool {
				if len(e.Estate.Export.Scope) == 0 || e.Estate.Source == nil || p.Pool != e.Estate.Source.Pool {
					return nil
				}
				f, err := ScopeFiles(L.Context(), e.store(L, p), e.Estate.Export.Scope)
				check(L, err)
				return f
			}
			if c, ok := FileNamesCheck(L.Context(), e.Estate, links, only); ok {
				r.Checks = append(r.Checks, c)
			}
		}
	}
	say(L, "doctor %s (%s): %d FAIL, %d WARN, %d OK", r.Database, r.Role, r.Count(store.DoctorFail), r.Count(store.DoctorWarn), r.Count(store.DoctorOK))
	return r
}

// doctorDB opens the pool's database for the doctor. Databases are
// reached the way OpenStore reaches them when it is set (stand-in
// servers): the doctor then reads through the store it opened. The
// estate's target is opened once and kept until the run opens the target's
// store (or Env.Close): every source's doctor reads how it compares
// names, and its own doctor checks it. done(failed) closes what doctorDB opened, except the
// kept target, which it forgets and closes when failed says that it could
// not be read, so that the run's next doctor call opens it again.
func (e *Env) doctorDB(L *lua.LState, p estate.Pool, cfg store.Config) (db *store.DoctorDB, done func(failed bool)) {
	if e.OpenStore != nil {
		return store.DoctorOn(e.store(L, p)), func(bool) {}
	}
	key := cfg.Describe()
	e.mu.Lock()
	open := e.stores[key]
	e.mu.Unlock()
	if open != nil {
		// The run works on this database already: the doctor reads
		// through the run's own connection.
		return store.DoctorOn(open), func(bool) {}
	}
	kept := e.Estate != nil && p.Pool == e.Estate.Target.Pool
	if kept {
		e.mu.Lock()
		db = e.doctorTarget
		if db != nil && e.doctorTargetKey != key {
			db = nil // another database under the target's name: not kept
			kept = false
		}
		e.mu.Unlock()
		if db != nil {
			return db, e.forgetDoctorTarget(db)
		}
	}
	openDoctor := e.OpenDoctor
	if openDoctor == nil {
		openDoctor = store.OpenDoctor
	}
	db, err := openDoctor(L.Context(), cfg)
	check(L, err)
	if !kept {
		return db, func(bool) { _ = db.Close() } // read-only: nothing to lose
	}
	e.mu.Lock()
	e.doctorTarget, e.doctorTargetKey = db, key
	e.mu.Unlock()
	return db, e.forgetDoctorTarget(db)
}

// forgetDoctorTarget is doctorDB's done for the kept target db.
func (e *Env) forgetDoctorTarget(db *store.DoctorDB) func(failed bool) {
	return func(failed bool) {
		if !failed {
			return
		}
		e.mu.Lock()
		if e.doctorTarget == db {
			e.doctorTarget, e.doctorTargetKey = nil, ""
		}
		e.mu.Unlock()
		_ = db.Close()
	}
}

// connectionFailed is whether a doctor report says that its database
// could not be reached.
func connectionFailed(r *store.DoctorReport) bool {
	for _, c := range r.Checks {
		if c.Check == "connection" && c.Status == store.DoctorFail {
			return true
		}
	}
	return false
}

// targetNames is how the estate's target compares category and room
// names (store.DoctorDB.NameCollation, as pcmig doctor --estate reads
// it), for a source's names check; nil without an estate, for the target
// itself, or when the target cannot be opened (its own doctor says why).
func (e *Env) targetNames(L *lua.LState, p estate.Pool) *store.Collation {
	if e.Estate == nil || p.Pool == e.Estate.Target.Pool {
		return nil
	}
	t := e.Estate.Target
	cfg, err := t.DB.Config(e.dir(), e.secretEnv)
	if err != nil {
		return nil
	}
	var names *store.Collation
	// A target that cannot be opened raises in doctorDB: caught here, so
	// that the source's report is still made.
	fn := L.NewFunction(func(L *lua.LState) int {
		db, done := e.doctorDB(L, t, cfg)
		names = db.NameCollation(L.Context())
		done(names == nil)
		return 0
	})
	L.Push(fn)
	if L.PCall(0, 0, nil) != nil {
		return nil
	}
	return names
}

func (e *Env) dir() string {
	if e.Estate != nil {
		return e.Estate.Dir
	}
	return ""
}

// ArchiveSize is the size of an archive's messages, from its manifest.
func ArchiveSize(path string) (bytes, msgs int64, err error) {
	r, err := archive.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	m := r.Manifest()
	for _, p := range m.Parts {
		if p.Kind == archive.KindMessages {
			bytes += p.Bytes
		}
	}
	return bytes, m.Counts.Messages, nil
}
