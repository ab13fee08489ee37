// Package estate reads the estate description: the pools, databases, site,
// topology document, user directory and archive a migration works on. The
// file is Lua returning one table (docs/estate.md); it runs in a state with
// no libraries but string and table, and may not take long.
package estate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/internal/heapguard"
	"github.com/pcmig/pcmig/luasyntax"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textenc"
)

// Kinds of estate.
const (
	KindLab  = "lab"  // pcmig applies topology and user changes itself
	KindReal = "real" // those changes go into the PowerShell runbook
)

// Estate is a loaded estate file. Paths are absolute after Load.
type Estate struct {
	File      string `json:"file"`
	Dir       string `json:"-"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Site      string `json:"site"`
	Topology  string `json:"topology"`
	Directory string `json:"directory"`
	Archive   string `json:"archive"`
	Runbook   string `json:"runbook"`
	// PoolSettings is a lab estate's model of the pools' own settings
	// (package poolsettings); real estates read them with cmdlets.
	PoolSettings   string              `json:"pool_settings,omitempty"`
	State          string              `json:"state"`
	Source         *Pool               `json:"source,omitempty"`
	Sources        []Pool              `json:"sources,omitempty"`
	Target         Pool                `json:"target"`
	Export         Export              `json:"export"`
	OnConflict     string              `json:"on_conflict"`
	CategoryPolicy string              `json:"category_policy,omitempty"`
	Creators       map[string][]string `json:"creators,omitempty"`
	MoveBatch      int                 `json:"move_batch"`
	AllowOtherSite bool                `json:"allow_other_site"`
	// RoutesRaw is the estate file's routes: a table of target pool FQDNs
	// and the source categories each gets, or the path of a file that
	// returns one (routes.go). Routes is it read and checked, by pool
	// (lower case, no trailing dot), and RoutesFile that file ("" for a
	// table); the estate's Export.Scope is then its target's list.
	RoutesRaw  any                 `json:"routes,omitempty"`
	Routes     map[string][]string `json:"-"`
	RoutesFile string              `json:"-"`
	// Successor is routes' successor (lower case, no trailing dot): the
	// target pool that takes the source pool's place for what is not
	// routed by category, its users and its endpoints (routes.go).
	Successor string `json:"-"`
	// Script is free-form data for scripts of one's own (estate.script):
	// a list or a table with names as keys, of strings, numbers, booleans
	// and such tables; pcmig reads none of it. Every other key must be one
	// of the above.
	Script any `json:"script,omitempty"`
	// Raw is the table as the file returned it, for the Lua estate module.
	Raw map[string]any `json:"-"`
}

// Pool is one Persistent Chat pool of the estate.
type Pool struct {
	Name      string `json:"name,omitempty"`
	Pool      string `json:"pool"`
	Registrar string `json:"registrar"`
	DB        DB     `json:"db"`
	Archive   string `json:"archive,omitempty"`
	// FileStore is the pool's file store: a folder (lab estates) or a UNC
	// share (\\server\share); "" when not given.
	FileStore string `json:"file_store,omitempty"`
}

// Export holds the export options of step 1.
type Export struct {
	Level           string   `json:"level"`
	Scope           []string `json:"scope"`
	Since           string   `json:"since,omitempty"`
	DisableExported bool     `json:"disable_exported"`
	// ReplaceUnpairedSurrogates: export.run's replace_unpaired_surrogates.
	ReplaceUnpairedSurrogates bool `json:"replace_unpaired_surrogates,omitempty"`
}

// DB is a database: a DSN, or an instance in the cmdlets' terms.
type DB struct {
	DSN         string `json:"dsn,omitempty"`
	Instance    string `json:"instance,omitempty"`
	Database    string `json:"database,omitempty"`
	User        string `json:"user,omitempty"`
	PasswordEnv string `json:"password_env,omitempty"`
	Encrypt     string `json:"encrypt,omitempty"`
	TrustCert   bool   `json:"trust_server_certificate,omitempty"`
	// Connection options of store.Config (docs/connections.md); file
	// paths are relative to the estate's folder.
	Auth              string `json:"auth,omitempty"`
	ServerSPN         string `json:"server_spn,omitempty"`
	Krb5Config        string `json:"krb5_config,omitempty"`
	Krb5CCache        string `json:"krb5_ccache,omitempty"`
	Certificate       string `json:"certificate,omitempty"`
	ServerCertificate string `json:"server_certificate,omitempty"`
	HostInCert        string `json:"host_in_certificate,omitempty"`
}

// UnmarshalJSON accepts a DSN string or a table.
func (d *DB) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		d.DSN = s
		return nil
	}
	type plain DB
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("db: want a DSN string or a table with instance and database")
	}
	if p.DSN != "" {
		// A DSN says everything: the table's other keys would be dropped
		// without a word (the command line refuses --db with --instance).
		rest := p
		rest.DSN = ""
		if rest != (plain{}) {
			var keys map[string]any
			enc, _ := json.Marshal(rest)
			_ = json.Unmarshal(enc, &keys)
			return &dbKeysError{keys: slices.Sorted(maps.Keys(keys))}
		}
	}
	*d = DB(p)
	return nil
}

// dbKeysError is a db table with dsn and other keys. It names the keys,
// never their values.
type dbKeysError struct{ keys []string }

func (e *dbKeysError) Error() string {
	return fmt.Sprintf("a db table with dsn takes no other key, and one here has %s: give either dsn, or instance with its options, not both",
		strings.Join(e.keys, ", "))
}

// Config turns the database into a store configuration; getenv supplies
// password_env. Relative sqlite paths are resolved against dir.
func (d DB) Config(dir string, getenv func(string) string) (store.Config, error) {
	if d.DSN != "" {
		if p, ok := strings.CutPrefix(d.DSN, "sqlite:"); ok && p != "" && !filepath.IsAbs(p) {
			return store.Config{DSN: "sqlite:" + filepath.Join(dir, p)}, nil
		}
		return store.Config{DSN: d.DSN}, nil
	}
	if d.Instance == "" {
		return store.Config{}, errors.New("db: no dsn and no instance")
	}
	c := store.Config{Instance: d.Instance, Database: d.Database, User: d.User, Encrypt: d.Encrypt, TrustCert: d.TrustCert,
		Auth: d.Auth, ServerSPN: d.ServerSPN, Krb5Config: rel(dir, d.Krb5Config), Certificate: rel(dir, d.Certificate),
		ServerCertificate: rel(dir, d.ServerCertificate), HostInCert: d.HostInCert}
	if cc := d.Krb5CCache; cc != "" {
		if p, ok := strings.CutPrefix(cc, "FILE:"); ok {
			cc = "FILE:" + rel(dir, p)
		} else if !strings.Contains(cc, ":") {
			cc = rel(dir, cc)
		}
		c.Krb5CCache = cc // other cache types are refused by the store
	}
	if d.PasswordEnv != "" {
		c.Password = getenv(d.PasswordEnv)
		if c.Password == "" {
			return c, fmt.Errorf("db %s: environment variable %s (password_env) is empty", d.Instance, d.PasswordEnv)
		}
	}
	return c, nil
}

// sharePath resolves a file store: a UNC share stays as it is, a folder is
// relative to the estate's folder.
func (e *Estate) sharePath(p string) string {
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		return p
	}
	return e.Path(p)
}

// IsLab reports whether pcmig may apply topology and user changes itself.
func (e *Estate) IsLab() bool { return e.Kind == KindLab }

// missingError says that a file is not there; it is fs.ErrNotExist.
type missingError string

func (e missingError) Error() string        { return string(e) }
func (e missingError) Is(target error) bool { return target == fs.ErrNotExist }

// Load reads and checks an estate file.
func Load(ctx context.Context, path string) (*Estate, error) {
	src, err := fsguard.ReadFile(path, fsguard.MaxEstate, "estate")
	if errors.Is(err, fs.ErrNotExist) {
		// The default --estate is estate.lua in the current folder:
		// said with the folder, and how to give one.
		where, _ := filepath.Abs(filepath.Dir(path))
		return nil, missingError(fmt.Sprintf("estate %s: no such file in %s: name the estate file with --estate FILE (pcmig lab init DIR writes a practice estate; docs/estate.md describes one)",
			path, where))
	}
	if err != nil {
		return nil, err
	}
	// Windows editors save a byte order mark, and Notepad's "Unicode" is
	// UTF-16: read the file in whatever encoding its mark names.
	if src, _, _, err = textenc.Decode(src); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	raw, err := eval(ctx, path, src)
	if err != nil {
		var ve *valueError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("estate %s: %s", path, where(src, ve))
		}
		return nil, err
	}
	// encoding/json's errors quote values and place them in the JSON made
	// here: say which field and where in the estate file instead.
	if ve := checkShape(raw, estateType, nil); ve != nil {
		return nil, fmt.Errorf("estate %s: %s", path, where(src, ve))
	}
	if probs := checkKeys(src, raw, estateType, nil); len(probs) > 0 {
		return nil, fmt.Errorf("estate %s: %s", path, strings.Join(probs, "; "))
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("estate %s: a value pcmig cannot read", path)
	}
	e := &Estate{Export: Export{Level: "All"}, OnConflict: "merge", MoveBatch: 50, State: ".pcmig", CategoryPolicy: "merge"}
	if err := json.Unmarshal(b, e); err != nil {
		var ke *dbKeysError
		if errors.As(err, &ke) {
			return nil, fmt.Errorf("estate %s: %w", path, ke)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("estate %s: %s: a value of the wrong kind", path, te.Field)
		}
		return nil, fmt.Errorf("estate %s: a value of the wrong kind", path)
	}
	e.File, e.Dir, e.Raw = abs, filepath.Dir(abs), raw
	// Enumerated values are taken in any letter case, as every enumerated
	// option of pcmig is (docs/estate.md); scripts see them lower-case.
	e.Kind = canonical(e.Kind, KindLab, KindReal)
	e.OnConflict = canonical(e.OnConflict, "merge", "skip", "rename", "fail")
	e.CategoryPolicy = canonical(e.CategoryPolicy, "merge", "first", "rename")
	if err := e.check(func(key string) string { return lineAt(src, []step{{key: key}}) }); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	if err := checkValues(src, raw); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	if l, err := exporter.ParseLevel(e.Export.Level); err == nil {
		e.Export.Level = l.String() // its canonical spelling
	}
	if err := e.checkPoolNames(func(at []step) string { return lineAt(src, at) }); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	if err := e.checkHosts(func(at []step) string { return lineAt(src, at) }); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	if err := e.checkShares(func(at []step) string { return lineAt(src, at) }); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	if err := e.checkTexts(func(at []step) string { return lineAt(src, at) }); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	for _, p := range []*string{&e.Topology, &e.Directory, &e.Archive, &e.Runbook, &e.State} {
		*p = e.Path(*p)
	}
	for i := range e.Sources {
		e.Sources[i].Archive = e.Path(e.Sources[i].Archive)
		e.Sources[i].FileStore = e.sharePath(e.Sources[i].FileStore)
	}
	if e.Source != nil {
		e.Source.FileStore = e.sharePath(e.Source.FileStore)
	}
	e.Target.FileStore = e.sharePath(e.Target.FileStore)
	e.PoolSettings = e.Path(e.PoolSettings)
	if err := e.loadRoutes(ctx, src); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	if err := e.CheckOutputs(); err != nil {
		return nil, err
	}
	if err := e.checkFileStores(); err != nil {
		return nil, err
	}
	if err := e.checkDatabases(); err != nil {
		return nil, err
	}
	return e, nil
}

// canonical is v spelt as the one of values it matches in any letter case,
// by the rule of every enumerated option of pcmig (strings.EqualFold, as
// import --on-conflict and the Lua options compare), or v as written: a
// check names it as the administrator wrote it. strings.ToLower is not
// that rule (it makes the Turkish İ an i, which EqualFold does not).
func canonical(v string, values ...string) string {
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return want
		}
	}
	return v
}

// Path resolves a path relative to the estate's folder ("" stays "").
func (e *Estate) Path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.Dir, p)
}

// check checks the values Load cannot leave to their types; line names the
// line that gives a top-level field ("line 4: ", or "").
func (e *Estate) check(line func(key string) string) error {
	var probs []string
	switch e.Kind {
	case KindLab, KindReal:
	case "":
		probs = append(probs, `kind is missing: want "lab" or "real"`)
	default:
		probs = append(probs, line("kind")+`kind: want "lab" or "real"`)
	}
	if e.Source == nil && len(e.Sources) == 0 {
		probs = append(probs, "no source pool (source = {...} or sources = {...})")
	}
	if e.Target.Pool == "" {
		probs = append(probs, "target.pool is missing")
	}
	const giveDB = `: give the pool's database (sqlite:PATH, sqlserver://... or { instance = "HOST\\INSTANCE", database = "mgc" })`
	if e.Target.DB == (DB{}) {
		probs = append(probs, "target.db is missing"+giveDB)
	}
	if e.Source != nil && e.Source.Pool == "" {
		probs = append(probs, "source.pool is missing")
	}
	if e.Source != nil && e.Source.DB == (DB{}) {
		probs = append(probs, "source.db is missing"+giveDB)
	}
	for i, s := range e.Sources {
		if s.DB == (DB{}) {
			probs = append(probs, fmt.Sprintf("sources[%d].db is missing", i+1)+giveDB)
		}
	}
	switch e.OnConflict {
	case "merge", "skip", "rename", "fail":
	default:
		probs = append(probs, line("on_conflict")+"on_conflict: want merge, skip, rename or fail")
	}
	if e.MoveBatch <= 0 {
		probs = append(probs, line("move_batch")+"move_batch must be positive")
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// estateAllocLimit bounds the large blocks evaluating an estate file may
// allocate, all of them together.
const estateAllocLimit = 64 << 20

// eval runs the estate chunk with string and table only, under time and
// memory limits, and converts the returned table.
func eval(ctx context.Context, name string, src []byte) (map[string]any, error) {
	// The interpreter asks before each block of 64 KiB or more whose size
	// the file chooses (string.rep, table.concat, ...): an estate's values
	// are small, and one string.rep("x", 2^33) would otherwise end the
	// process for want of memory instead of naming the file.
	//
	// Smaller allocations (a loop building small tables without end) are
	// caught by a watch of the heap's growth while the file is evaluated,
	// bounded by estateAllocLimit too: past it the evaluation's context
	// is cancelled, so the file stops at its next instruction and pcall
	// cannot catch it.
	parent := ctx
	held, cancelHeld := context.WithCancelCause(ctx)
	defer cancelHeld(nil)
	guard := heapguard.WatchGrowth(estateAllocLimit, func(int64) error {
		err := &heapError{}
		cancelHeld(err)
		return err
	})
	defer guard.Close()
	asked := 0
	check := func(size int) error {
		if asked += size; asked > estateAllocLimit {
			return fmt.Errorf("evaluating it asks for more than %d MiB of memory (an estate's values take a few KiB)", estateAllocLimit>>20)
		}
		return guard.Check(size)
	}
	L := lua.NewState(lua.Options{SkipOpenLibs: true, MemoryCheck: check})
	defer L.Close()
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	for _, g := range []string{"dofile", "loadfile", "load", "loadstring", "require", "module", "collectgarbage"} {
		L.SetGlobal(g, lua.LNil)
	}
	ctx, cancel := context.WithTimeout(held, 5*time.Second)
	defer cancel()
	L.SetContext(ctx)
	base := filepath.Base(name)
	fn, err := L.Load(strings.NewReader(string(src)), base)
	if err != nil {
		return nil, fmt.Errorf("estate %s", syntaxMessage(name, err, src))
	}
	L.Push(fn)
	if err := L.PCall(0, 1, nil); err != nil {
		if errors.Is(parent.Err(), context.Canceled) {
			// Ctrl-C stopped it: not the estate's fault.
			return nil, fmt.Errorf("estate %s: run cancelled while the estate was evaluated: %w", name, parent.Err())
		}
		var he *heapError
		if errors.As(context.Cause(held), &he) || errors.As(err, &he) {
			return nil, fmt.Errorf("estate %s: %w", name, he)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("estate %s: evaluating it did not finish in time (an endless loop?): %w", name, ctx.Err())
		}
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) {
			if msg := lua.LVAsString(apiErr.Object); msg != "" {
				return nil, fmt.Errorf("estate %s: %s", name, msg)
			}
			// error({...}) or error(): nothing to show but its kind
			// (the table may hold anything, a password too).
			return nil, fmt.Errorf("estate %s: evaluating it raised an error without a message (error() of %s)", name, errorObjectKind(apiErr.Object))
		}
		return nil, fmt.Errorf("estate %s: %w", name, err)
	}
	t, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return nil, fmt.Errorf("estate %s: the file must return a table (return { ... })", name)
	}
	v, err := toGo(t, nil)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// heapError is the cause of an evaluation stopped by its heap watch.
type heapError struct{}

func (*heapError) Error() string {
	return fmt.Sprintf("evaluating it holds more than %d MiB of memory (an estate's values take a few KiB: a loop that builds tables without end?)", estateAllocLimit>>20)
}

// errorObjectKind says what error() raised when it has no text: a table,
// nil, a function, ...
func errorObjectKind(v lua.LValue) string {
	if v.Type() == lua.LTNil {
		return "nil"
	}
	return "a " + v.Type().String()
}

// toGo converts a Lua value: tables with keys 1..n become slices, other
// tables maps with string keys. Its errors (*valueError) say where in the
// table, never the value or key.
func toGo(v lua.LValue, path []step) (any, error) {
	if len(path) > 20 {
		return nil, &valueError{path, "tables nested too deeply (a cycle?)"}
	}
	switch x := v.(type) {
	case *lua.LNilType:
		return nil, nil
	case lua.LBool:
		return bool(x), nil
	case lua.LNumber:
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &valueError{path, "a number that is not finite"}
		}
		return float64(x), nil
	case lua.LString:
		return string(x), nil
	case *lua.LTable:
		n := x.Len()
		count := 0
		x.ForEach(func(lua.LValue, lua.LValue) { count++ })
		if n > 0 && n == count {
			out := make([]any, 0, n)
			for i := 1; i <= n; i++ {
				e, err := toGo(x.RawGetInt(i), at(path, step{index: i}))
				if err != nil {
					return nil, err
				}
				out = append(out, e)
			}
			return out, nil
		}
		out := map[string]any{}
		var err error
		x.ForEach(func(k, val lua.LValue) {
			if err != nil {
				return
			}
			ks, ok := k.(lua.LString)
			if !ok {
				err = &valueError{path, "a table that mixes list items and named keys, or has keys that are neither: want a list (keys 1 to n) or a table with names as keys"}
				return
			}
			out[string(ks)], err = toGo(val, at(path, step{key: string(ks)}))
		})
		if count == 0 {
			return nil, err
		}
		return out, err
	}
	return nil, &valueError{path, fmt.Sprintf("a value of type %s, which an estate cannot hold", v.Type())}
}

// where words a valueError with the line of the estate file that gives
// the value.
func where(src []byte, e *valueError) string {
	return lineAt(src, e.path) + describe(e, estateType)
}

// lineAt is "line N: " for the line that gives the value at path, or "".
func lineAt(src []byte, path []step) string {
	if n := lineOf(src, path); n > 0 {
		return fmt.Sprintf("line %d: ", n)
	}
	return ""
}

// syntaxMessage rewrites a gopher-lua compile error as "NAME:LINE: message",
// the form every other Lua error takes. The message never quotes the text
// gopher-lua stopped at (luasyntax): an estate path that names another file
// (/proc/self/environ) must not put its content in the error; the line and
// column say where.
func syntaxMessage(name string, err error, src []byte) string {
	if p, ok := luasyntax.Describe(err, src); ok {
		return fmt.Sprintf("%s:%d: %s", name, p.Line, p.Message)
	}
	return name + ": syntax error"
}

// rel resolves a file path of a database entry against the estate's folder.
func rel(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
