package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/runbook"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "estate", Aliases: []string{"e"}, Value: "estate.lua", Usage: "the estate file (pools, databases, site, topology, directory)"},
		&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "plan every step against the real databases and change nothing"},
		&cli.StringFlag{Name: "plan", Usage: "write the plan as JSON to FILE"},
		&cli.StringFlag{Name: "report", Usage: "write the run report: FILE.html for people, FILE.json for machines"},
		&cli.StringFlag{Name: "runbook", Usage: "write the PowerShell runbook (cmdlets for real estates) to FILE.ps1"},
		&cli.BoolFlag{Name: "runbook-cmdlets", Usage: "also put the supported cmdlet route for steps 1 and 2 (Export-/Import-CsPersistentChatData) in the runbook"},
		&cli.BoolFlag{Name: "resume", Usage: "skip the steps an interrupted run finished and resume the unfinished one"},
		&cli.BoolFlag{Name: "fresh", Usage: "forget an unfinished earlier run and start from step 1"},
		&cli.DurationFlag{Name: "timeout", Usage: "stop the run after this long (e.g. 30m); 0 means no limit"},
		&cli.StringFlag{Name: "memory-limit", Usage: "stop the run when pcmig's memory would pass SIZE (e.g. 2GiB); the default is a quarter of the machine's memory"},
		&cli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, warn or error"},
		&cli.StringSliceFlag{Name: "allow-path", Usage: "let the script also read and write files in DIR (repeatable); by default it may use only the estate's folder and the folders the estate's files are in"},
		forceFlag(),
	}
}

func runCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a migration script against an estate (by default the bundled migrate.lua: the documented procedure in 10 steps)",
		ArgsUsage: "[SCRIPT]",
		Description: `SCRIPT is a Lua file, or the name of a bundled script (see "pcmig scripts list");
the default is the bundled migrate.lua, which runs Microsoft's documented 7-step
procedure with pcmig's own steps (copy the uploaded files, carry the pool's own
settings over, reconcile the target with the source): 10 steps in all.

Exit codes: 0 done (for --dry-run: nothing would change), 1 error,
2 --dry-run found changes to make, 64 command-line mistake.`,
		Flags: runFlags(),
		Action: func(c *cli.Context) error {
			s, err := runSettings(c)
			if err != nil {
				return err
			}
			_, err = runScript(c.Context, e, c.Args().First(), s)
			return err
		},
	}
}

// settings are the choices of one run.
type settings struct {
	estate, plan, report, runbook string
	dryRun, resume, fresh         bool
	runbookCmdlets, force         bool
	timeout                       time.Duration
	memoryLimit                   int64 // bytes; 0 means the default
	logLevel                      string
	allowPaths                    []string
}

// lockFlags are the flags of the run recorded in its lock: how it runs.
func (s settings) lockFlags() []string {
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{s.resume, "--resume"}, {s.fresh, "--fresh"}, {s.force, "--force"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	return flags
}

// warnRunInProgress warns, once, when a run holds the estate's run lock
// (lockFile) while what (a dry run, a verify), which only reads, goes on:
// its figures may move as that run writes (pcrt.RunLockHolder).
func warnRunInProgress(e env, lockFile, what string) {
	holder, ok := pcrt.RunLockHolder(lockFile)
	if !ok {
		return
	}
	state := "is"
	if strings.HasPrefix(holder, "may") {
		state = "may be"
	}
	fmt.Fprintf(e.stderr, "pcmig: warning: %s\n", textwidth.Continued(fmt.Sprintf(
		"a run %s in progress on this estate: its run lock %s %s; %s only reads and goes on, but the figures may move while that run writes",
		state, lockFile, holder, what), errorIndent))
}

// runSettings reads the options of "pcmig run"; a mistake in them is a
// usageError (exit 64), found before anything is read or written.
func runSettings(c *cli.Context) (settings, error) {
	s := settings{estate: c.String("estate"), plan: c.String("plan"), report: c.String("report"), runbook: c.String("runbook"),
		dryRun: c.Bool("dry-run"), resume: c.Bool("resume"), fresh: c.Bool("fresh"), runbookCmdlets: c.Bool("runbook-cmdlets"),
		force: c.Bool("force"), timeout: c.Duration("timeout"), logLevel: c.String("log-level"), allowPaths: c.StringSlice("allow-path")}
	switch {
	case s.estate == "":
		return s, usagef("run needs an estate file: --estate FILE")
	case s.timeout < 0:
		return s, usagef("--timeout %s is negative: give how long the run may take, such as 30m, or 0 for no limit", s.timeout)
	case s.resume && s.fresh:
		return s, usagef("--resume and --fresh contradict each other: --resume continues the unfinished run, --fresh discards it")
	}
	if _, err := pcrt.ParseLogLevel(s.logLevel); err != nil {
		return s, usageError{fmt.Errorf("--log-level: %w", err)}
	}
	if v := c.String("memory-limit"); v != "" {
		n, err := pcrt.ParseSize(v)
		if err != nil {
			return s, usageError{fmt.Errorf("--memory-limit: %w, at least %s; without --memory-limit the limit is a quarter of the machine's memory",
				err, pcrt.FormatSize(pcrt.MinMemoryLimit))}
		}
		if n < pcrt.MinMemoryLimit {
			return s, usagef("--memory-limit %s is below the least pcmig needs, %s", v, pcrt.FormatSize(pcrt.MinMemoryLimit))
		}
		s.memoryLimit = n
	}
	return s, nil
}

// loadScript finds a script: a file, or a bundled one by name.
func loadScript(arg string) (pcrt.Script, error) {
	if arg == "" {
		arg = scripts.Default
	}
	if src, err := fsguard.ReadFile(arg, fsguard.MaxScript, "script"); err == nil {
		return pcrt.Script{Name: arg, Source: src, Dir: filepath.Dir(arg)}, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return pcrt.Script{}, err
	}
	if src, ok := scripts.Read(arg); ok {
		name := arg
		if filepath.Ext(name) == "" {
			name += ".lua"
		}
		return pcrt.Script{Name: name, Source: src}, nil
	}
	return pcrt.Script{}, fmt.Errorf("script %s: no such file, and no bundled script of that name (bundled: %v)", arg, scripts.Names())
}

// runScript runs a script against an estate and writes the outputs the
// settings ask for. The error is an exitCode when the run succeeded with
// something to say (changes pending).
func runScript(ctx context.Context, e env, scriptArg string, s settings) (*pcrt.Report, error) {
	script, err := loadScript(scriptArg)
	if err != nil {
		return nil, err
	}
	level, err := pcrt.ParseLogLevel(s.logLevel)
	if err != nil {
		return nil, usageError{err}
	}
	est, err := estate.Load(ctx, s.estate)
	if err != nil {
		return nil, err
	}
	if err := checkRunOutputs(est, s); err != nil {
		return nil, err
	}
	poolIDs, err := est.CheckPoolIDs(ctx, e.getenv)
	if err != nil {
		return nil, err
	}
	e.scrub.Add(est.Secrets(e.getenv)...)
	// The journal, the plan and a JSON report are masked as JSON: they
	// stay JSON whatever the password (scrubFor).
	scrub, scrubJSON := atomicfile.Scrub(e.scrub), atomicfile.ScrubJSON(e.scrub)
	env := &bindings.Env{Estate: est, Getenv: e.getenv, ToolVersion: toolVersion(), Force: s.force, Scrubber: e.scrub, ImportHooks: e.importHooks}
	for _, dir := range s.allowPaths {
		env.AllowPaths = append(env.AllowPaths, fsguard.Abs(dir))
	}
	env.Runbook = runbook.New(runbook.Header{Estate: est.Name, Tool: "pcmig " + toolVersion(), Generated: time.Now().UTC()})
	if s.runbookCmdlets {
		if err := env.AddCmdletRoute(); err != nil {
			return nil, err
		}
	}
	defer env.Close()
	// One limit for the Go heap budget and the run: the default is read once.
	hard := s.memoryLimit
	if hard == 0 {
		hard = pcrt.DefaultMemoryLimit()
	}
	e.gc.limitTo(hard)
	opts := pcrt.Options{Stdout: e.stdout, Stderr: e.stderr, DryRun: s.dryRun, Timeout: s.timeout, MemoryLimit: hard, LogLevel: level,
		Modules: env.Modules(), Recorders: env.Recorders(), BundledFS: scripts.FS(), Resume: s.resume, Fresh: s.fresh, Estate: est.Name, Listed: report.ListedIn(s.report),
		// A dry run reads the journal (never writes it), so that
		// --dry-run --resume plans only the steps left to do.
		Journal: filepath.Join(est.State, estate.RunJournalName), Scrub: scrubJSON}
	// What the run works on: --resume refuses when it changed.
	for _, f := range est.Subject(poolIDs) {
		opts.Subject = append(opts.Subject, pcrt.Fact(f))
	}
	lockFile := filepath.Join(est.State, estate.RunLockName)
	if !s.dryRun {
		// pcrt.Run creates the state folder once the script has passed
		// the checks made before it starts: a refused run creates nothing.
		// The lock records who runs it, and how.
		opts.LockFile, opts.User, opts.Command = lockFile, pcrt.CurrentUser(e.getenv), runCommandLine(scriptArg, s.estate, s.lockFlags()...)
	} else {
		warnRunInProgress(e, lockFile, "this dry run")
	}
	// The temporary files of the outputs written outside the state
	// folder (--report, --plan, --runbook) are recorded in it, so that a
	// run killed before renaming one has it removed by the next run.
	temps := outputTemps{est: est, dry: s.dryRun}
	temps.sweep(e.stderr)
	mode := "Running"
	if s.dryRun {
		mode = "Dry run of"
	}
	fmt.Fprintf(e.stdout, "%s %s on estate %q (%s)\n", mode, script.Name, est.Name, est.Kind)
	rep, runErr := pcrt.Run(ctx, script, opts)
	var outErrs []error
	if rep != nil {
		if s.dryRun {
			fmt.Fprintln(e.stdout)
			// One true thing: a dry run that stopped at an error planned
			// nothing after it, so "no changes pending" is never said then.
			switch planned := len(rep.Plan.Actions()); {
			case runErr != nil && planned == 0 && len(rep.Steps) == 0:
				fmt.Fprintln(e.stdout, "The dry run stopped at an error before its first step: nothing was planned.")
			case runErr != nil && planned == 0:
				fmt.Fprintln(e.stdout, "The dry run stopped at an error: what ran before it plans no changes; the rest was not planned.")
			default:
				if runErr != nil {
					fmt.Fprintln(e.stdout, "The dry run stopped at an error: the plan below covers only the steps before it.")
				}
				if err := rep.Plan.WriteText(e.stdout); err != nil {
					outErrs = append(outErrs, err)
				}
			}
		}
		// Said where it went, as export and import say theirs.
		written := func(label string, o output, write func() error) {
			err := writeOutput(o, write)
			if err == nil {
				fmt.Fprintf(e.stdout, "%s: %s\n", label, textwidth.OneLine(o.Path))
			}
			outErrs = append(outErrs, err)
		}
		if s.plan != "" {
			written("Plan", output{Flag: "--plan", Path: s.plan, Kind: kindPlan}, func() error {
				b, err := rep.Plan.JSON()
				if err != nil {
					return err
				}
				return temps.write(s.plan, b, scrubJSON)
			})
		}
		if s.report != "" {
			written("Report", output{Flag: "--report", Path: s.report, Kind: kindReport}, func() error {
				b, err := rep.Render(s.report)
				if err != nil {
					return err
				}
				return temps.write(s.report, b, scrubFor(s.report, e.scrub))
			})
		}
	}
	if s.runbook != "" && !env.Runbook.HasCommands() {
		// Said, not silent: the operator asked for a file that is not there.
		why := "the run put no commands in it"
		if est.IsLab() {
			why = "a lab estate applies its topology and user changes itself, so its runbook has no commands (--runbook-cmdlets adds the export and import cmdlets)"
		}
		fmt.Fprintf(e.stderr, "pcmig: warning: --runbook %s not written: %s\n", textwidth.OneLine(s.runbook), why)
	}
	if path := runbookPath(est, s); path != "" && env.Runbook.HasCommands() {
		b := env.Runbook.Bytes()
		err := writeOutput(runbookOutput(est, s), func() error { return temps.write(path, b, scrub) })
		outErrs = append(outErrs, err)
		if err == nil {
			fmt.Fprintf(e.stdout, "Runbook: %s (review it, then run it in the Skype for Business Server Management Shell)\n", textwidth.OneLine(path))
			if n := maskedLines(b, e.scrub); n > 0 {
				// Masked as everything pcmig writes, but a runbook is run:
				// its commands would fail on the masked names.
				verb := "hold"
				if n == 1 {
					verb = "holds"
				}
				fmt.Fprintf(e.stderr, "pcmig: warning: %s of the runbook %s text equal to a password pcmig knows, written as xxxxx there (a password that is also a word of the estate, such as a pool's domain): those commands fail as written; change the password, then run pcmig again to write the runbook (docs/runbook.md)\n",
					numtext.Count(n, "line", "lines"), verb)
			}
		}
	}
	runErr = stepError(rep, runErr)
	if after := rep.ChangesAfterReconciliation; len(after) > 0 && runErr == nil {
		// The verdict the script printed, and the report's, no longer
		// cover the target.
		fmt.Fprintf(e.stderr, "pcmig: warning: the run made %s after its reconciliation (verify.run), which its verdict does not cover (the first: step %q: %s.%s %s): run pcmig verify --estate %s to compare the target as it is now\n",
			numtext.Count(len(after), "change", "changes"), after[0].Step, after[0].Module, after[0].Op, textwidth.OneLine(after[0].Target), s.estate)
	}
	if n := doneSteps(rep); n > 0 && !s.dryRun && errors.Is(runErr, store.ErrLocked) {
		// The lock's own advice, "run this again", would be refused: the
		// journal holds the steps this run finished before the refusal.
		fmt.Fprintf(e.stderr, "pcmig: this run finished %s before it was refused; once the other process has ended, continue it with: %s\n", numtext.Count(n, "step", "steps"), resumeCommand(scriptArg, s.estate))
	} else if rep != nil && rep.Resumable && runErr != nil && !strings.Contains(runErr.Error(), "--resume") {
		// The run stopped with its journal unfinished: said now, as the
		// last line, not only when the next run is refused.
		runErr = errors.Join(runErr, resumeHint(ctx.Err() != nil, rep, resumeCommand(scriptArg, s.estate)))
	}
	if err := errors.Join(outErrs...); err != nil {
		return rep, errors.Join(runErr, err)
	}
	if runErr != nil {
		return rep, runErr
	}
	if code := pcrt.ExitCode(rep, nil); code != 0 {
		return rep, exitCode(code)
	}
	return rep, nil
}

// resumeHint says how a run that stopped with its journal unfinished is
// continued: what the journal records, and the command.
func resumeHint(interrupted bool, rep *pcrt.Report, command string) error {
	n, stopped := doneSteps(rep), ""
	for _, st := range rep.Steps {
		if st.Status == pcrt.StatusFailed {
			stopped = st.Name
		}
	}
	them := "them"
	if n == 1 {
		them = "it"
	}
	var what, does string
	switch {
	case n > 0 && stopped != "":
		what = "records the " + numtext.Count(n, "finished step", "finished steps")
		does = fmt.Sprintf("skips %s and runs step %q again", them, stopped)
	case n > 0:
		what = "records the " + numtext.Count(n, "finished step", "finished steps")
		does = "skips " + them
	case stopped != "":
		what = fmt.Sprintf("records that the run stopped in its first step, %q", stopped)
		does = "runs it again"
	default:
		what = "records that the run stopped before it finished a step"
		does = "starts again from the first step"
	}
	how := "once the cause above is fixed, continue with"
	if interrupted {
		how = "interrupted (Ctrl-C or SIGTERM); continue with"
	}
	return fmt.Errorf("the journal %s %s: %s: %s, which %s", textwidth.OneLine(rep.Journal), what, how, command, does)
}

// resumeCommand is the command line that resumes a run of script (""
// for the bundled default) on estate; a word with white space is quoted
// as both a POSIX shell and PowerShell read it.
func resumeCommand(script, estate string) string {
	return runCommandLine(script, estate, "--resume")
}

// runCommandLine is the command line of a pcmig run of script (""
// for the bundled one) on estate with flags, one line, quoted where a word
// holds a space.
func runCommandLine(script, estate string, flags ...string) string {
	words := []string{"pcmig", "run"}
	if script != "" {
		words = append(words, script)
	}
	words = append(append(words, "--estate", estate), flags...)
	for i, w := range words {
		w = textwidth.OneLine(w)
		if strings.ContainsAny(w, " \t") && !strings.ContainsAny(w, "\"$`") {
			w = `"` + w + `"`
		}
		words[i] = w
	}
	return strings.Join(words, " ")
}

// doneSteps counts the steps of rep that finished.
func doneSteps(rep *pcrt.Report) int {
	n := 0
	if rep != nil {
		for _, st := range rep.Steps {
			if st.Status == pcrt.StatusDone {
				n++
			}
		}
	}
	return n
}

// stepError names the step that failed, so the last line of a failed run
// says where it stopped as well as the script position.
func stepError(rep *pcrt.Report, err error) error {
	if err == nil || rep == nil {
		return err
	}
	for _, st := range slices.Backward(rep.Steps) {
		if st.Status != pcrt.StatusFailed {
			continue
		}
		// Only the step's own error: a script that caught it may fail
		// later, outside any step, with another.
		if !slices.ContainsFunc(st.Errors, func(e string) bool { return e != "" && strings.Contains(err.Error(), e) }) {
			return err
		}
		if rep.TotalSteps > 0 {
			return fmt.Errorf("step %d/%d %q failed: %w", st.Index, rep.TotalSteps, st.Name, err)
		}
		return fmt.Errorf("step %d %q failed: %w", st.Index, st.Name, err)
	}
	return err
}

// runbookPath is where the runbook goes: --runbook, or for a real run of a
// real estate the estate's runbook. A dry run writes one only when asked.
func runbookPath(est *estate.Estate, s settings) string {
	if s.runbook != "" {
		return s.runbook
	}
	if !s.dryRun && !est.IsLab() {
		return est.Runbook
	}
	return ""
}

// checkRunOutputs refuses a --report, --plan or --runbook that names one
// of the estate's files (a database, above all), or a file that is not a
// pcmig file of its kind (see checkOutputs), in a dry run too. The
// estate's own paths were checked when it was loaded: what is left is a
// command-line mistake.
func checkRunOutputs(est *estate.Estate, s settings) error {
	extra := []fsguard.File{{Role: "--report", Path: s.report}, {Role: "--plan", Path: s.plan}}
	if !fsguard.Same(s.runbook, est.Runbook) {
		extra = append(extra, fsguard.File{Role: "--runbook", Path: s.runbook})
	}
	if err := est.CheckOutputs(extra...); err != nil {
		return usageError{err}
	}
	return checkReplaceable(output{Flag: "--report", Path: s.report, Kind: kindReport},
		output{Flag: "--plan", Path: s.plan, Kind: kindPlan}, runbookOutput(est, s))
}

// runbookOutput is the runbook the run may write: --runbook, or the
// estate's runbook (see runbookPath).
func runbookOutput(est *estate.Estate, s settings) output {
	o := output{Flag: "--runbook", Path: runbookPath(est, s), Kind: kindRunbook}
	if s.runbook == "" {
		o.Flag = "estate runbook"
	}
	return o
}
