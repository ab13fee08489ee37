package runtime

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/atomicfile"
)

// Script is a Lua script to run or validate.
type Script struct {
	// Name is the script's path as the user gave it. It is the chunk name, so
	// error messages read "migrate.lua:42: ...".
	Name string
	// Source is the script text.
	Source []byte
	// Dir is the folder whose .lua files the script may require
	// ("a.b" loads Dir/a/b.lua). Empty means the script may require no
	// files of its own.
	Dir string
}

// Module is a Lua module implemented in Go. Its Loader is registered with
// (*lua.LState).PreloadModule, so scripts load it with require(Name). The
// loader pushes the module table and returns 1; it reaches the run's
// [Host] with [HostFrom].
//
// [Validate] (and [Run], before the script starts) calls the loader on a
// state of its own, without a Host, and reads the names of the table's
// fields: a script's module.name or module:name with a name the table does
// not have is reported. A loader must therefore build its table without
// side effects; one that raises there is not checked.
type Module struct {
	Name   string
	Loader lua.LGFunction
	// Data marks a module whose table holds data that differs from run to
	// run (the estate's settings) rather than a fixed set of functions:
	// its loader is not called to check names, and no name a script reads
	// from it is reported.
	Data bool
	// Options are the tables of named options the module's functions
	// take, by function name. The function refuses a key its table does
	// not list (see [CheckOptions]); [Validate] reports one written as a
	// constant key of a table constructor in the call.
	Options map[string]OptionTable
}

// Options configure a run.
type Options struct {
	// Stdout receives print output, step headers and step results.
	// Stderr receives log lines and notices (stale locks, journal notes).
	// Nil writers discard.
	Stdout, Stderr io.Writer

	// DryRun asks every module to record its writes in the plan instead of
	// performing them. A dry run writes no journal and takes no lock.
	DryRun bool

	// Timeout stops the run when it elapses; zero means no limit.
	Timeout time.Duration

	// MemoryLimit stops the run when the process's Go heap would grow past
	// it, in bytes: the Lua state and the Go modules the script calls. Zero
	// means DefaultMemoryLimit(), a negative value no limit.
	MemoryLimit int64

	// LogLevel is the lowest level the log module writes.
	LogLevel LogLevel

	// Modules are preloaded in order after the built-in modules (log, pcmig).
	Modules []Module

	// BundledFS holds bundled Lua modules: require("a.b") loads a/b.lua.
	BundledFS fs.FS

	// Journal is the path of the step journal; empty means none.
	Journal string
	// Resume skips the steps the journal records as finished.
	Resume bool
	// Fresh discards the journal of an unfinished earlier run.
	Fresh bool
	// Recorders keep data of their own with each finished step's journal
	// entry and get it back when a resumed run skips the step, by name
	// (see StepRecorder).
	Recorders map[string]StepRecorder
	// Subject is what the run works on (the estate's kind, site, pools,
	// databases, file stores, documents), each described without
	// secrets. The journal records it, and Resume refuses to go on when
	// it differs from the journal's (ErrEstateChanged). A fact whose
	// Value is "" is not known now (a database that cannot be opened)
	// and is not compared.
	Subject []Fact

	// LockFile is the path of the run lock; empty means none. Run creates
	// its folder when the script has passed the checks made before it
	// starts.
	LockFile string
	// User and Command are recorded in the run lock, for the refusal of
	// another run and the warning of a dry run or verify meanwhile: the
	// account the run works as (CurrentUser) and its command line (no
	// secrets: the lock file is plain text). Empty: not recorded.
	User, Command string

	// Scrub masks secrets in the journal file (atomicfile.Scrub); nil
	// leaves it as it is. Stdout and Stderr are the caller's to wrap.
	Scrub atomicfile.Option

	// Estate names the target for the report (for example "lab" or a pool FQDN).
	Estate string

	// Listed says where every warning a console summary leaves out is
	// listed ("the report lists every one", or, when no report is
	// written, the flag that writes one); "" means the former.
	Listed string

	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// memoryLimit returns the run's memory limit in bytes, or 0 for none.
func (o *Options) memoryLimit() int64 {
	switch {
	case o.MemoryLimit < 0:
		return 0
	case o.MemoryLimit == 0:
		return DefaultMemoryLimit()
	}
	return o.MemoryLimit
}

func (o *Options) defaults() {
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// LogLevel is the severity of a log line. The zero value is LevelInfo.
type LogLevel int

// Log levels, lowest first.
const (
	LevelDebug LogLevel = -4
	LevelInfo  LogLevel = 0
	LevelWarn  LogLevel = 4
	LevelError LogLevel = 8
)

// String returns the level as written in log lines: DEBUG, INFO, WARN, ERROR.
func (l LogLevel) String() string {
	switch {
	case l <= LevelDebug:
		return "DEBUG"
	case l <= LevelInfo:
		return "INFO"
	case l <= LevelWarn:
		return "WARN"
	default:
		return "ERROR"
	}
}

// ParseLogLevel parses debug, info, warn (or warning) and error, in any case.
func ParseLogLevel(s string) (LogLevel, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return LevelDebug, nil
	case "info", "":
		return LevelInfo, nil
	case "warn", "warning":
		return LevelWarn, nil
	case "error":
		return LevelError, nil
	}
	return LevelInfo, fmt.Errorf("unknown log level %q: use debug, info, warn or error", s)
}
