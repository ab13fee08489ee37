package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

func labCommand(e env) *cli.Command {
	d := lab.DefaultOptions()
	return &cli.Command{
		Name:  "lab",
		Usage: "practice estates: a 2015 and a 2019 pool on this machine",
		Subcommands: []*cli.Command{{
			Name:      "init",
			Usage:     "write a complete, deterministic lab estate into DIR",
			ArgsUsage: "DIR",
			Description: `Writes DIR/source-2015.db (the 2015 pool's mgc with generated data),
DIR/target-2019.db (the 2019 pool's empty mgc), the pools' file stores
DIR/filestore-2015 (the files the messages link to) and DIR/filestore-2019
(empty), DIR/pool-settings.json (the pools' own settings), DIR/topology.xml,
DIR/users.csv and DIR/estate.lua. The same seed gives byte-identical files.

--overwrite replaces an estate already in DIR and removes what its runs left
(run journal, runbook, archive), having first taken the locks a run takes:
while a run of it, or any pcmig writing to its databases, holds one, it is
refused, naming the holder, and nothing is changed.`,
			Flags: []cli.Flag{
				&cli.IntFlag{Name: "users", Value: d.Users, Usage: "users"},
				&cli.IntFlag{Name: "categories", Value: d.Categories, Usage: "categories"},
				&cli.IntFlag{Name: "rooms", Value: d.Rooms, Usage: "rooms"},
				&cli.IntFlag{Name: "messages", Value: d.Messages, Usage: "messages in total"},
				&cli.Int64Flag{Name: "seed", Value: 1, Usage: "random seed"},
				&cli.BoolFlag{Name: "overwrite", Usage: "replace an existing estate in DIR"},
			},
			Action: func(c *cli.Context) error {
				if err := checkArgs(c, 1, 1, "lab init takes the estate folder: pcmig lab init [OPTIONS] DIR"); err != nil {
					return err
				}
				if err := checkLabCounts(c, "users", "categories", "rooms", "messages"); err != nil {
					return err
				}
				dir := c.Args().First()
				sum, err := lab.Init(c.Context, dir, lab.Options{Users: c.Int("users"), Categories: c.Int("categories"),
					Rooms: c.Int("rooms"), Messages: c.Int("messages"), Seed: c.Int64("seed"), Overwrite: c.Bool("overwrite")})
				if errors.Is(err, lab.ErrExists) {
					return fmt.Errorf("%w (pcmig lab init --overwrite %s replaces it and forgets its runs)", err, dir)
				}
				if err != nil {
					return err
				}
				sayRemovedTemporary(e, dir, sum)
				fmt.Fprintf(e.stdout, "Lab estate in %s (seed %d): %s, %s, %s, %s, %s.\n", textwidth.OneLine(dir), sum.Seed,
					numtext.Count(sum.Users, "user", "users"), numtext.Count(sum.Groups, "group", "groups"), numtext.Count(sum.Categories, "category", "categories"),
					numtext.Count(sum.Rooms, "room", "rooms"), numtext.Count(sum.Messages, "message", "messages"))
				fmt.Fprintf(e.stdout, "Try:  pcmig run --estate %s --dry-run\n", textwidth.OneLine(filepath.Join(dir, "estate.lua")))
				return nil
			},
		}},
	}
}

// sayRemovedTemporary says which folders of an earlier lab init, stopped
// while it built an estate in dir, this one removed.
func sayRemovedTemporary(e env, dir string, sum *lab.Summary) {
	if len(sum.RemovedTemporary) > 0 {
		fmt.Fprintf(e.stdout, "Removed %s in %s: the temporary %s of a lab init stopped before it finished.\n",
			strings.Join(sum.RemovedTemporary, ", "), textwidth.OneLine(dir), numtext.Noun(len(sum.RemovedTemporary), "folder", "folders"))
	}
}

// checkLabCounts refuses, as a command-line mistake, a lab count given
// outside what a lab takes. A count given is honoured or refused, never
// replaced by the default (lab.Options treats zero as "the default").
func checkLabCounts(c *cli.Context, names ...string) error {
	least := map[string]int{"users": lab.MinUsers}
	for _, name := range names {
		if !c.IsSet(name) {
			continue
		}
		min := max(least[name], 1)
		if v := c.Int(name); v < min {
			return usagef("--%s %d: a lab has at least %d", name, v, min)
		} else if v > lab.MaxCount {
			return usagef("--%s %d: a lab has at most %d", name, v, lab.MaxCount)
		}
	}
	return nil
}
