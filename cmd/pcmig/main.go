// Command pcmig migrates Skype for Business Server Persistent Chat pools:
// categories, rooms, members, managers, presenters, creators, add-ins and
// chat history, with the documented 7-step procedure scripted in Lua.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C cancels the run, which ends within seconds; after it
	// the signals' default action is back, so a second one ends pcmig at
	// once (as a kill would: the journal and transactions make that safe).
	go func() {
		<-ctx.Done()
		stop()
	}()
	gc := budgetGC(os.Getenv)
	code := run(ctx, os.Args, env{
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		tty:    term.IsTerminal(int(os.Stderr.Fd())),
		gc:     gc,
	})
	stop()
	gc.stop()
	os.Exit(code)
}
