package main

import (
	"encoding/json"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/inventory"
	"github.com/pcmig/pcmig/store"
)

func inventoryCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "inventory",
		Usage:     "print what a pool holds: categories, rooms, principals, messages, file links",
		ArgsUsage: " ",
		Flags: append(dbFlags(), &cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.StringFlag{Name: "file-store", Usage: "the pool's file store (a folder or share): report the file links whose file is missing"}),
		Action: func(c *cli.Context) error {
			cfg, err := dbConfig(c, e)
			if err != nil {
				return err
			}
			cfg.ReadOnly = true
			s, err := store.Open(c.Context, cfg)
			if err != nil {
				return err
			}
			defer s.Close()
			inv, err := inventory.Take(c.Context, s)
			if err != nil {
				return err
			}
			if dir := c.String("file-store"); dir != "" {
				if err := inv.CheckFiles(dir); err != nil {
					return err
				}
			}
			if c.Bool("json") {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(inv)
			}
			return inventory.WriteText(e.stdout, inv)
		},
	}
}
