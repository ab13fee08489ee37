// Package runtime is the Lua host of pcmig: it opens one sandboxed
// gopher-lua state per run, preloads the Go modules registered by the
// bindings package, runs an administrator's script under a time limit,
// records named steps in a resumable journal, collects the plan of
// changes (performed, or pending in a dry run) and builds the run report.
//
// The name shadows the standard library's runtime package; callers import
// it as
//
//	import pcrt "github.com/pcmig/pcmig/runtime"
//
// The API towards the command line is Go-typed: [Run], [Compile],
// [Validate], [Report] and [Plan] carry no gopher-lua types. The API
// towards the bindings ([Module], [HostFrom], [RaiseError], [Raise],
// [Wrap], [SetFuncs]) works on *lua.LState.
//
// # Exit codes
//
// [ExitCode] maps a run's outcome to the process exit code, in the manner of
// terraform plan -detailed-exitcode:
//
//   - [ExitOK] (0): the run succeeded; for a dry run, nothing would change.
//   - [ExitError] (1): the run, the script or the options failed.
//   - [ExitChangesPending] (2): a dry run succeeded and its plan holds changes.
package runtime

// Process exit codes; see [ExitCode].
const (
	// ExitOK reports success; for a dry run, that nothing would change.
	ExitOK = 0
	// ExitError reports a failed run, a script error or invalid options.
	ExitError = 1
	// ExitChangesPending reports a successful dry run whose plan holds changes.
	ExitChangesPending = 2
)

// ExitCode returns the process exit code for the outcome of [Run].
func ExitCode(rep *Report, err error) int {
	switch {
	case err != nil:
		return ExitError
	case rep != nil && rep.DryRun && rep.ChangesPending:
		return ExitChangesPending
	default:
		return ExitOK
	}
}
