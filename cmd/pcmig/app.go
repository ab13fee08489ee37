package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
)

// version is pcmig's version; release builds set it with
// -ldflags "-X main.version=...".
var version = "0.1.0"

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
}

// exitCoder lets a command choose its exit code without failing.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// run is the whole program with its process wiring taken out.
func run(ctx context.Context, args []string, e env) int {
	app := newApp(e)
	err := app.RunContext(ctx, args)
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	fmt.Fprintf(e.stderr, "pcmig: %v\n", err)
	var usage usageError
	if errors.As(err, &usage) {
		return exitUsage
	}
	return exitError
}

// usageError is a mistake in the command line.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func newApp(e env) *cli.App {
	return &cli.App{
		Name:    "pcmig",
		Usage:   "migrate Skype for Business Server Persistent Chat pools",
		Version: version,
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
			topologyCommand(e),
			labCommand(e),
		},
	}
}
