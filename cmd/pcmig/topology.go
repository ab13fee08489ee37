package main

import (
	"encoding/json"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/topology"
)

func topologyCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "topology",
		Usage: "read a topology document (Get-CsTopology -AsXml)",
		Subcommands: []*cli.Command{{
			Name:      "show",
			Usage:     "print sites, pools, Persistent Chat pools with their stores, and each site's default",
			ArgsUsage: " ",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "topology XML; required"},
				&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			},
			Action: func(c *cli.Context) error {
				if err := required(c, "file", "FILE.xml, the topology document (Get-CsTopology -AsXml)"); err != nil {
					return err
				}
				data, err := fsguard.ReadFile(c.String("file"), fsguard.MaxTopology, "topology document")
				if err != nil {
					return err
				}
				doc, err := topology.Parse(data)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(doc.Summary())
				}
				return doc.Show(e.stdout)
			},
		}},
	}
}
