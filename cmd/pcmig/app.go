package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/importer"
	pcsecret "github.com/pcmig/pcmig/secret"
	"github.com/pcmig/pcmig/store"
)

// Exit codes, documented in README.md.
const (
	exitOK      = 0
	exitError   = 1
	exitPending = 2 // a dry run found changes to make
	exitUsage   = 64
)

// env is everything the process gives the commands.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	tty            bool // stderr is a terminal: draw progress bars
	// scrub masks the passwords pcmig knows in everything it writes: the
	// console (stdout and stderr are wrapped in it) and every file.
	scrub *pcsecret.Scrubber
	// gc is the Go heap's soft limit (nil: none, as in tests).
	gc *gcBudget
	// openDoctor opens a database for pcmig doctor (nil: store.OpenDoctor;
	// tests count the opens).
	openDoctor func(context.Context, store.Config) (*store.DoctorDB, error)
	// importHooks are the imports' test hooks (importer.Hooks; zero in
	// pcmig): kill tests stop an overlapped import at its points.
	importHooks importer.Hooks
}

// exitCoder lets a command choose its exit code without failing.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// run is the whole program with its process wiring taken out.
func run(ctx context.Context, args []string, e env) int {
	e.scrub = newScrubber(args, e.getenv)
	e.stdout, e.stderr = e.scrub.Writer(e.stdout), e.scrub.Writer(e.stderr)
	e.stdout, e.stderr = consoleWriter(e.stdout), consoleWriter(e.stderr)
	defer flushConsole(e.stdout, e.stderr)
	app := newApp(e)
	args, err := optionsFirst(app, args)
	if err == nil {
		err = app.RunContext(store.WithCommand(ctx, commandWords(app, args)), args)
	}
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		if hint := cancelledHint(commandWords(app, args)); hint != "" {
			fmt.Fprintf(e.stderr, "pcmig: cancelled (Ctrl-C or SIGTERM)%s\n", hint)
			return exitError
		}
	}
	printError(e.stderr, "pcmig: ", err)
	var usage usageError
	if errors.As(err, &usage) {
		return exitUsage
	}
	return exitError
}

// cancelledHint says, after Ctrl-C, what an interrupted command left; ""
// for a command that says so itself (pcmig run: "run cancelled", with its
// journal's advice).
func cancelledHint(command string) string {
	switch command {
	case "pcmig export":
		return "; an interrupted export leaves no archive under --file: run it again"
	case "pcmig import":
		return "; run the same import again: it resumes where this one stopped (what it wrote is kept, " +
			"and the journal beside the archive says how far each room got), or starts if nothing was written"
	case "pcmig verify":
		return "; verify only reads: run it again"
	}
	return ""
}

// usageError is a mistake in the command line.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func newApp(e env) *cli.App {
	app := &cli.App{
		Name:     "pcmig",
		HelpName: "pcmig", // not the executable's name: help and messages read the same everywhere
		Usage:    "migrate Skype for Business Server Persistent Chat pools",
		Version:  toolVersion(),
		Description: `pcmig moves categories, rooms, members, managers, presenters, creators, add-ins
and chat history from one Persistent Chat pool to another (Skype for Business
Server 2015 to 2019), following the documented procedure as a Lua script:
export, import, switch the site's default pool, check categories, move users,
re-add creators, prove rooms can be created. Every step has a dry run.

Start with "pcmig demo" to watch a whole migration of a lab estate.`,
		Writer:                 e.stdout,
		ErrWriter:              e.stderr,
		HideHelpCommand:        true,
		UseShortOptionHandling: true,
		ExitErrHandler:         func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		Commands: []*cli.Command{
			demoCommand(e),
			runCommand(e),
			validateCommand(e),
			scriptsCommand(e),
			exportCommand(e),
			importCommand(e),
			inspectCommand(e),
			inventoryCommand(e),
			doctorCommand(e),
			verifyCommand(e),
			topologyCommand(e),
			labCommand(e),
			benchCommand(e),
		},
		Action: unknownCommand,
	}
	for _, c := range app.Commands {
		wireUsage(c)
	}
	return app
}

// wireUsage makes every mistake in a command line a usageError (exit 64),
// as at the top level: unknown flags and unknown subcommands. It also hides
// the "help" subcommand that urfave/cli adds to every command; --help
// works everywhere.
func wireUsage(cmd *cli.Command) {
	cmd.HideHelpCommand = true
	cmd.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, cmd.HelpName)}
	}
	if len(cmd.Subcommands) > 0 && cmd.Action == nil {
		cmd.Action = unknownCommand
	}
	if len(cmd.Subcommands) == 0 && cmd.Action != nil {
		if strings.TrimSpace(cmd.ArgsUsage) == "" {
			cmd.ArgsUsage = " " // no arguments: help shows none, not "[arguments...]"
		}
		cmd.Action = refuseStrayArgs(cmd, cmd.Action)
		if hasFlag(cmd, "report") {
			cmd.Action = checkReportName(cmd.Action)
		}
	}
	for _, sub := range cmd.Subcommands {
		wireUsage(sub)
	}
}

// unknownCommand is the action of the program and of commands that only
// group subcommands: without arguments it prints the help, with one it
// refuses the unknown name (urfave/cli would look it up as a help topic
// and exit 1).
func unknownCommand(c *cli.Context) error {
	top := c.Command == nil || c.Command.HelpName == c.App.HelpName
	name := c.App.HelpName
	if !top {
		name = c.Command.HelpName
	}
	args := c.Args().Slice()
	if len(args) > 0 && args[0] == "help" { // "pcmig help [COMMAND]", as urfave/cli's hidden help command
		args = args[1:]
		switch {
		case len(args) == 0:
		case c.Command != nil && c.Command.Command(args[0]) != nil, top && c.App.Command(args[0]) != nil:
			return cli.ShowCommandHelp(c, args[0])
		default:
			return usagef("unknown command %q: see %s --help", args[0], name)
		}
	} else if len(args) > 0 {
		return usagef("unknown command %q: see %s --help", args[0], name)
	}
	if top {
		return cli.ShowAppHelp(c)
	}
	return cli.ShowSubcommandHelp(c)
}

// refuseStrayArgs wraps the action of a command so that arguments beyond
// those its usage line (ArgsUsage) names are refused before the action
// runs: "pcmig import --db D --file F --dry-run extra" is a mistake (a
// mistyped option, a value without its option), never ignored. Too few
// arguments are each command's to word (checkArgs).
func refuseStrayArgs(cmd *cli.Command, action cli.ActionFunc) cli.ActionFunc {
	most := maxArgs(cmd.ArgsUsage)
	return func(c *cli.Context) error {
		if most < 0 || c.NArg() <= most {
			return action(c)
		}
		stray := c.Args().Get(most)
		name := strings.TrimPrefix(cmd.HelpName, c.App.HelpName+" ")
		if most == 0 {
			return usagef("%s takes no arguments, got %q (options start with --; see %s --help)", name, stray, cmd.HelpName)
		}
		takes := "one argument"
		if most > 1 {
			takes = fmt.Sprintf("%d arguments", most)
		}
		if strings.Contains(cmd.ArgsUsage, "[") {
			takes = "at most " + takes
		}
		return usagef("%s takes %s (%s), got %d: %q is one too many (see %s --help)",
			name, takes, strings.TrimSpace(cmd.ArgsUsage), c.NArg(), stray, cmd.HelpName)
	}
}

// maxArgs is the number of arguments a usage line names ("FILE",
// "[SCRIPT]", " " for none), or -1 for any number ("FILE...").
func maxArgs(usage string) int {
	if strings.Contains(usage, "...") {
		return -1
	}
	return len(strings.Fields(usage))
}

// checkArgs checks the number of a command's arguments; want is the
// mistake message.
func checkArgs(c *cli.Context, least, most int, want string) error {
	if n := c.NArg(); n < least || n > most {
		return usagef("%s", want)
	}
	return nil
}

// required refuses a missing option; urfave/cli's Required would print the
// whole help and exit 1 instead of naming the mistake with exit 64.
func required(c *cli.Context, flag, what string) error {
	if c.String(flag) == "" {
		return usagef("%s needs --%s %s", commandName(c), flag, what)
	}
	return nil
}

// commandName is the command's name as typed after "pcmig", such as
// "topology show".
func commandName(c *cli.Context) string {
	return strings.TrimPrefix(c.Command.HelpName, c.App.HelpName+" ")
}
