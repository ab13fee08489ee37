package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// optionsFirst moves the options of a command line in front of the
// command's arguments. urfave/cli, like Go's flag package, stops reading
// options at the first argument, while administrators (and the README)
// write "pcmig lab init DIR --messages 500" and "pcmig inspect FILE --json".
// Everything after "--" stays an argument. An option that needs a value
// and ends the line is a usage error.
func optionsFirst(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	out := []string{args[0]}
	var cmd *cli.Command
	cmds := app.Commands
	i := 1
	for ; i < len(args); i++ {
		c := findCommand(cmds, args[i])
		if c == nil {
			break
		}
		out = append(out, args[i])
		cmd, cmds = c, c.Subcommands
	}
	if cmd == nil {
		return args, nil
	}
	var opts, rest []string
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(append(append(out, opts...), "--"), append(rest, args[i+1:]...)...), nil
		case len(a) < 2 || a[0] != '-':
			rest = append(rest, a)
		case takesValue(cmd, a) && i+1 == len(args):
			return nil, usagef("option %s needs a value (see %s --help)", a, strings.Join(out, " "))
		default:
			opts = append(opts, a)
			if takesValue(cmd, a) {
				i++
				opts = append(opts, args[i])
			}
		}
	}
	return append(append(out, opts...), rest...), nil
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether the option a ("--name" or "-n", without
// "=value") of cmd reads the next word as its value. Unknown options take
// none: the parser then names them.
func takesValue(cmd *cli.Command, a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return false
	}
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if v, ok := f.(cli.DocGenerationFlag); ok {
				return v.TakesValue()
			}
			return true
		}
	}
	return false
}

// commandWords names the command of a command line, such as "pcmig lab
// init": the program and the command names, never an option or argument
// (which may hold a password). Databases record it as their writer.
func commandWords(app *cli.App, args []string) string {
	words := []string{"pcmig"}
	cmds := app.Commands
	for _, a := range args[min(1, len(args)):] {
		c := findCommand(cmds, a)
		if c == nil {
			break
		}
		words = append(words, c.Name)
		cmds = c.Subcommands
	}
	return strings.Join(words, " ")
}
