// Package bindings is the Lua face of pcmig's operations: one module per
// operation (estate, export, import, category, creator, room, topology,
// user, pool, verify), preloaded into every run by the runtime. Scripts require what they
// use. docs/lua-api.md documents every function for script authors.
//
// Every module honours dry runs the same way: reads go to the real
// databases and files, writes go to a simulated view (a private embedded
// scratch copy of each database's structure, whatever its kind, with the
// message history read from the database itself; in-memory topology and
// directory documents; a scratch archive) and are recorded in the plan, so
// later steps plan against what earlier steps would produce. Nothing is
// ever written to a database in a dry run (docs/store.md).
package bindings

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/scratch"
	"github.com/pcmig/pcmig/runbook"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/secret"
	"github.com/pcmig/pcmig/store"
)

// Env is what the modules of one run share: the estate, the open stores,
// loaded documents, the runbook being written and the dry-run scratch space.
// It is not safe for concurrent runs; make one per run.
type Env struct {
	Estate      *estate.Estate
	Getenv      func(string) string
	ToolVersion string
	Now         func() time.Time
	// Force allows writes while Persistent Chat servers heartbeat.
	Force bool
	// AllowPaths are folders, besides the estate's, whose files scripts
	// may read and write (pcmig run --allow-path).
	AllowPaths []string
	// Scrubber masks the passwords the run knows in what the modules write
	// (documents, error messages); the password_env variables scripts
	// name are added to it as they are read. Nil masks nothing.
	Scrubber *secret.Scrubber
	// OpenStore opens a pool's database (default store.Open); tests put a
	// stand-in SQL Server behind it.
	OpenStore func(context.Context, store.Config) (*store.Store, error)
	// OpenDoctor opens a database for the doctor module (default
	// store.OpenDoctor) when OpenStore is not set; tests count the opens.
	OpenDoctor func(context.Context, store.Config) (*store.DoctorDB, error)
	// Runbook collects the cmdlets for what pcmig must not change itself
	// (real estates), and the optional supported alternatives.
	Runbook *runbook.Runbook
	// ImportHooks are the imports' test hooks (importer.Hooks; zero in
	// pcmig).
	ImportHooks importer.Hooks

	mu     sync.Mutex
	stores map[string]*store.Store
	opened []opened // the databases opened, by pool (identity.go)
	// poolViews holds what the modules read of each pool (see poolCache).
	poolViews map[*store.Store]*poolCache
	// doctorTarget is the estate's target opened for the doctor, once
	// per run (doctorDB), and doctorTargetKey its description.
	doctorTarget    *store.DoctorDB
	doctorTargetKey string
	scratch         string            // dry-run scratch folder
	outputs         map[string]string // real path -> scratch path of files a dry run "wrote"
	docs            map[string]*topoDoc
	dirs            map[string]*userDir
	imports         map[string]*importer.Result // archive -> this run's import of it (verify in dry runs)

	sections    int          // runbook sections opened
	lastSection string       // the step of the last one
	routeLast   bool         // the last section is AddCmdletRoute's
	stepMark    runbook.Mark // where the current step's runbook calls begin

	step         string                     // the step running (archivesRecorder)
	archives     map[string]exportedArchive // the archives the run exported, by archiveKey
	stepArchives map[string]exportedArchive // those the current step exported
}

// Modules returns the modules in registration order.
func (e *Env) Modules() []pcrt.Module {
	return []pcrt.Module{
		// The estate's table is its file's settings: which keys it has
		// differs from estate to estate, so validate checks no names.
		{Name: "estate", Loader: e.estateLoader, Data: true},
		{Name: "export", Loader: e.exportLoader, Options: moduleOptions("export")},
		{Name: "import", Loader: e.importLoader, Options: moduleOptions("import")},
		{Name: "category", Loader: e.categoryLoader, Options: moduleOptions("category")},
		{Name: "creator", Loader: e.creatorLoader, Options: moduleOptions("creator")},
		{Name: "room", Loader: e.roomLoader, Options: moduleOptions("room")},
		{Name: "topology", Loader: e.topologyLoader, Options: moduleOptions("topology")},
		{Name: "user", Loader: e.userLoader, Options: moduleOptions("user")},
		{Name: "pool", Loader: e.poolLoader, Options: moduleOptions("pool")},
		{Name: "verify", Loader: e.verifyLoader, Options: moduleOptions("verify")},
		{Name: "doctor", Loader: e.doctorLoader, Options: moduleOptions("doctor")},
	}
}

// Close closes every store (discarding simulated changes) and removes the
// dry-run scratch space.
func (e *Env) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for k, s := range e.stores {
		errs = append(errs, s.Close())
		delete(e.stores, k)
	}
	if e.doctorTarget != nil {
		errs = append(errs, e.doctorTarget.Close())
		e.doctorTarget, e.doctorTargetKey = nil, ""
	}
	if e.scratch != "" {
		errs = append(errs, os.RemoveAll(e.scratch))
		e.scratch = ""
	}
	return errors.Join(errs...)
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func dryRun(L *lua.LState) bool {
	h := pcrt.HostFrom(L)
	return h != nil && h.DryRun
}

func record(L *lua.LState, a pcrt.Action) {
	if h := pcrt.HostFrom(L); h != nil {
		h.Plan.Add(a)
		h.NoteWrite(a.Module + "." + a.Op + " " + a.Target)
	}
}

func say(L *lua.LState, format string, args ...any) {
	if h := pcrt.HostFrom(L); h != nil {
		h.Infof(format, args...)
	}
}

func logError(L *lua.LState, format string, args ...any) {
	if h := pcrt.HostFrom(L); h != nil {
		h.Errorf(format, args...)
	}
}

func warn(L *lua.LState, format string, args ...any) {
	if h := pcrt.HostFrom(L); h != nil {
		h.Warnf(format, args...)
	}
}

// path resolves a path a script gives against the estate's folder, as
// the estate file's own paths are, so that the same file has one name
// (dry runs send reads of a file they "wrote" to its scratch copy by name).
func (e *Env) path(p string) string {
	if e.Estate != nil {
		p = e.Estate.Path(p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// file resolves a path a script gives (path) and confines it to the
// folders the run may use: the estate's folder, the folders the estate
// names (estate.Folders) and those the operator allowed with
// --allow-path. A path outside them raises io, naming the folders. A run
// without an estate or allowed folders is not confined (tests of single
// modules).
func (e *Env) file(L *lua.LState, p string) string {
	p = e.path(p)
	if err := e.confine(p); err != nil {
		raise(L, err)
	}
	return p
}

// output returns where a file the script asks to write goes: the path
// itself, or in a dry run a scratch file that later reads of the same path
// are sent to.
func (e *Env) output(L *lua.LState, path string) (string, error) {
	if !dryRun(L) {
		return path, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.outputs == nil {
		e.outputs = map[string]string{}
	}
	if p, ok := e.outputs[path]; ok {
		return p, nil
	}
	if e.scratch == "" {
		dir, err := scratch.Make("pcmig-dryrun-")
		if err != nil {
			return "", err
		}
		e.scratch = dir
	}
	p := filepath.Join(e.scratch, fmt.Sprintf("%d-%s", len(e.outputs), filepath.Base(path)))
	e.outputs[path] = p
	return p, nil
}

// input returns where to read a file from: the scratch copy a dry run
// wrote in its place, if any.
func (e *Env) input(path string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p, ok := e.outputs[path]; ok {
		return p
	}
	return path
}

// secretEnv reads an environment variable for a pool's password_env; the
// value is a secret from then on.
func (e *Env) secretEnv(name string) string {
	if e.Getenv == nil {
		return ""
	}
	v := e.Getenv(name)
	e.Scrubber.Add(v)
	return v
}
