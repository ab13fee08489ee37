package main

import (
	"encoding/json"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/bench"
)

func benchCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "bench",
		Usage:     "measure export and import speed and peak memory on a lab estate of the embedded store",
		ArgsUsage: " ",
		Description: `Builds (or reuses) a lab estate with --messages messages and measures, --rounds
times interleaved: a raw read of its tblChat with the SQLite driver, the export,
a raw insert of the same rows into an empty 2019 database, and the import of the
archive. It prints the medians, raw figures beside pcmig's, and the ratios
(targets: export at 0.7x the raw read or better, import at 0.9x the raw insert).
--messages 0 skips this.

With --estate-size small or large it also writes a structure-heavy lab estate
(large: 20,000 users, 200 categories, 20,000 rooms, 200,000 messages; --users,
--categories, --rooms and --structure-messages change it) and migrates it with
the bundled migrate.lua, reporting lab init, each step's time and peak memory,
the run's peak RSS and its console lines. Every figure of the README's
Performance section at once:

  pcmig bench --messages 1000000 --estate-size large`,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "messages", Value: 1_000_000, Usage: "messages in the lab estate"},
			&cli.IntFlag{Name: "rounds", Value: 3, Usage: "interleaved rounds of raw read, export, raw insert and import; the report gives medians"},
			&cli.StringFlag{Name: "estate-size", Usage: "also migrate a structure-heavy lab estate with the bundled script: small or large (20,000 users and rooms, 200 categories)"},
			&cli.IntFlag{Name: "users", Usage: "users of the structure-heavy estate (with --estate-size)"},
			&cli.IntFlag{Name: "categories", Usage: "categories of the structure-heavy estate (with --estate-size)"},
			&cli.IntFlag{Name: "rooms", Usage: "rooms of the structure-heavy estate (with --estate-size)"},
			&cli.IntFlag{Name: "structure-messages", Usage: "messages of the structure-heavy estate (with --estate-size)"},
			&cli.StringFlag{Name: "dir", Usage: "working folder (default: a new temporary folder, removed afterwards)"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
		},
		Action: func(c *cli.Context) error {
			dir := c.String("dir")
			if dir == "" {
				tmp, err := os.MkdirTemp("", "pcmig-bench-*")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				dir = tmp
			}
			opts := bench.Options{Messages: c.Int("messages"), Rounds: c.Int("rounds"), Dir: dir, Reuse: true,
				NoMessages: c.IsSet("messages") && c.Int("messages") == 0}
			if name := c.String("estate-size"); name != "" {
				size, err := bench.FindEstateSize(name)
				if err != nil {
					return usageError{err}
				}
				for _, f := range []struct {
					flag string
					n    *int
				}{{"users", &size.Users}, {"categories", &size.Categories}, {"rooms", &size.Rooms}, {"structure-messages", &size.Messages}} {
					if c.IsSet(f.flag) {
						*f.n = c.Int(f.flag)
					}
				}
				opts.Structure = &size
			}
			rep, err := bench.Run(c.Context, opts)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return bench.WriteText(e.stdout, rep)
		},
	}
}
