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
		Description: `Builds (or reuses) a lab estate with --messages messages, exports it and imports
the archive into the empty 2019 database, and reports messages per second and
peak memory for each phase. The targets on a 2-core machine are 150,000
messages/s for export, 100,000 for import and under 150 MB peak memory.`,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "messages", Value: 1_000_000, Usage: "messages in the lab estate"},
			&cli.IntFlag{Name: "rounds", Value: 3, Usage: "interleaved rounds of raw read, export, raw insert and import; the report gives medians"},
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
			rep, err := bench.Run(c.Context, bench.Options{Messages: c.Int("messages"), Rounds: c.Int("rounds"), Dir: dir, Reuse: true})
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
