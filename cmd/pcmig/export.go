package main

import (
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/fqdn"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

func exportCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "export a pool's Persistent Chat data into an archive (step 1)",
		ArgsUsage: " ",
		Description: `Levels, as Export-CsPersistentChatData's -Level, each including the one before:
  User           principals (users, groups, containers, domains)
  Category       + categories with allowed/denied members and creators
  RoomDirectory  + add-ins, rooms, settings, members, managers, presenters
  Content        + chat history (from --since on)
  All            everything (the default)

The archive is written under a temporary name and renamed when complete and
verified: an interrupted export leaves nothing under --file.`,
		Flags: append(dbFlags(),
			&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "archive to write (.zip); required"},
			&cli.StringFlag{Name: "level", Value: "All", Usage: "All, User, Category, RoomDirectory or Content"},
			&cli.StringSliceFlag{Name: "scope", Usage: "export only this category and its rooms (repeatable)"},
			&cli.StringFlag{Name: "since", Usage: "export messages from this date on (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)"},
			&cli.BoolFlag{Name: "disable-exported", Usage: "disable every exported room in the source once the archive is verified"},
			&cli.BoolFlag{Name: "replace-unpaired-surrogates", Usage: "export text holding a UTF-16 surrogate without its pair (SQL Server) with U+FFFD in its place, each value named in a warning, instead of refusing it"},
			&cli.StringFlag{Name: "pool", Usage: "the source pool's FQDN, recorded in the archive"},
			&cli.BoolFlag{Name: "overwrite", Usage: "replace an existing archive"},
			&cli.StringFlag{Name: "report", Usage: "write a report: FILE.html for people, FILE.json for machines"},
			forceFlag(),
		),
		Action: func(c *cli.Context) error {
			if err := required(c, "file", "FILE.zip, the archive to write"); err != nil {
				return err
			}
			if p := c.String("pool"); p != "" && !fqdn.Valid(p) {
				// Recorded as the manifest's source_pool, which inspect,
				// import and runs show and compare with estates' pools.
				return usagef("--pool: want the source Persistent Chat pool's FQDN, such as pchat01.contoso.com")
			}
			cfg, err := dbConfig(c, e)
			if err != nil {
				return err
			}
			level, err := exporter.ParseLevel(c.String("level"))
			if err != nil {
				return usageError{err}
			}
			var since time.Time
			if s := c.String("since"); s != "" {
				if since, err = exporter.ParseDate(s); err != nil {
					return usageError{err}
				}
			}
			rep := output{Flag: "--report", Path: c.String("report"), Kind: kindReport}
			if err := checkFiles(
				[]fsguard.File{{Role: "--file", Path: c.String("file")}, {Role: rep.Flag, Path: rep.Path}},
				[]fsguard.File{{Role: "database it reads", Path: dbFile(cfg)}}); err != nil {
				return err
			}
			if err := checkReplaceable(rep); err != nil {
				return err
			}
			// Refused before the export reads anything: an archive
			// replaces only an earlier archive, and only with --overwrite.
			if err := archive.CheckReplaceable(c.String("file")); err != nil {
				return err
			}
			if _, err := os.Lstat(c.String("file")); err == nil && !c.Bool("overwrite") {
				return fmt.Errorf("archive %s: %w (a pcmig archive): pass --overwrite to replace it, or give another --file", textwidth.OneLine(c.String("file")), fs.ErrExist)
			}
			cfg.ReadOnly = !c.Bool("disable-exported")
			s, err := store.Open(c.Context, cfg)
			if err != nil {
				return err
			}
			defer s.Close()
			// The temporary files of an export killed before it
			// committed the archive or renamed its report into place are
			// removed; this one's are recorded.
			temps := besideTemps(c.String("file"), "export")
			temps.sweep(e.stderr)
			defer temps.forget(e.stderr)
			bar := newProgress(e.stderr, e.tty, "export")
			res, err := exporter.Export(c.Context, s, c.String("file"), exporter.Options{
				Level: level, Scope: c.StringSlice("scope"), Since: since, DisableExported: c.Bool("disable-exported"),
				ReplaceUnpairedSurrogates: c.Bool("replace-unpaired-surrogates"),
				SourcePool:                c.String("pool"), ToolVersion: toolVersion(), Overwrite: c.Bool("overwrite"),
				Progress: func(p exporter.Progress) { bar.update(p.Phase, p.Done, p.Total) },
				Created:  temps.record,
			})
			bar.done()
			if err != nil {
				return err
			}
			report.ExportSummary(e.stdout, res, report.ListedIn(rep.Path))
			if rep.Path != "" {
				if err := recheckReplaceable(rep); err != nil {
					return err
				}
				if err := report.WriteExport(rep.Path, s.Describe(), res, temps.record, scrubFor(rep.Path, e.scrub)); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Report: %s\n", textwidth.OneLine(rep.Path))
			}
			return nil
		},
	}
}
