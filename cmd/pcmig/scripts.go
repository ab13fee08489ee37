package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/bindings"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
)

func scriptsCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "scripts",
		Usage: "list the bundled scripts, or print one to copy and adapt",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the bundled scripts, then the Lua modules they share (common/...)",
				Action: func(c *cli.Context) error {
					for _, n := range append(scripts.Names(), scripts.Modules()...) {
						fmt.Fprintln(e.stdout, n)
					}
					return nil
				},
			},
			{
				Name:      "show",
				Usage:     "print a bundled script or module (pcmig scripts show migrate > my-migration.lua)",
				ArgsUsage: "NAME",
				Action: func(c *cli.Context) error {
					if err := checkArgs(c, 1, 1, "scripts show takes one script name (see pcmig scripts list)"); err != nil {
						return err
					}
					src, ok := scripts.Read(c.Args().First())
					if !ok {
						return fmt.Errorf("no bundled script %q (bundled: %v)", c.Args().First(), scripts.Names())
					}
					_, err := e.stdout.Write(src)
					return err
				},
			},
		},
	}
}

func validateCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "compile a script, check its modules and the module functions it calls, without touching any database",
		ArgsUsage: "SCRIPT",
		Action: func(c *cli.Context) error {
			if err := checkArgs(c, 1, 1, "validate takes one script: pcmig validate SCRIPT"); err != nil {
				return err
			}
			script, err := loadScript(c.Args().First())
			if err != nil {
				return err
			}
			env := &bindings.Env{}
			if err := pcrt.Validate(script, pcrt.Options{Modules: env.Modules(), BundledFS: scripts.FS()}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: ok\n", script.Name)
			return nil
		},
	}
}
