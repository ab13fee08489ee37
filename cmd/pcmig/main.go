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
	code := run(ctx, os.Args, env{
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		tty:    term.IsTerminal(int(os.Stderr.Fd())),
	})
	stop()
	os.Exit(code)
}
