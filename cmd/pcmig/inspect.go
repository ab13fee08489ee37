package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
)

func inspectCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "validate an archive (every checksum) and print its summary",
		ArgsUsage: "FILE",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			if err := checkArgs(c, 1, 1, "inspect takes one archive: pcmig inspect [--json] FILE"); err != nil {
				return err
			}
			r, err := archive.Open(c.Args().First())
			if err != nil {
				return err
			}
			defer r.Close()
			if err := r.Verify(c.Context); err != nil {
				return err
			}
			// What every import of the archive refuses, whatever its
			// target, the import's own checks say here too.
			if err := importer.CheckArchive(c.Context, r); err != nil {
				return err
			}
			sum, err := r.Summary()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(sum)
			}
			if err := archive.WriteSummaryText(e.stdout, sum); err != nil {
				return err
			}
			_, err = fmt.Fprintln(e.stdout, "Archive verified: every part's checksum matches.")
			return errors.Join(err)
		},
	}
}
