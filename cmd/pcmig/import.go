package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

func importCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import an archive into a pool's database (step 2); safe to re-run and to resume",
		ArgsUsage: " ",
		Description: `Principals are matched by GUID, then SIP URI; categories and rooms by name.
Categories and rooms that exist in the target are conflicts, handled by
--on-conflict: merge (keep the target's, add what the archive brings), skip,
rename, or fail. Everything is read and validated before the first write.

Re-running changes nothing; a killed import run again finishes exactly once.
The checkpoints are kept beside the archive (FILE.import-*.json).

Exit codes: 0 done (or nothing to do), 1 error, 2 dry run with changes pending,
64 command-line mistake.`,
		Flags: append(dbFlags(),
			&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "archive to import; required"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"whatif"}, Usage: "read and validate, print the plan, write nothing"},
			&cli.StringFlag{Name: "on-conflict", Value: "merge", Usage: "merge, skip, rename or fail"},
			&cli.StringFlag{Name: "report", Usage: "write a report: FILE.html for people, FILE.json for machines"},
			forceFlag(),
		),
		Action: func(c *cli.Context) error {
			if err := required(c, "file", "FILE.zip, the archive to import"); err != nil {
				return err
			}
			policy, err := importer.ParseOnConflict(c.String("on-conflict"))
			if err != nil {
				return usagef("--on-conflict %q: want merge, skip, rename or fail", c.String("on-conflict"))
			}
			cfg, err := dbConfig(c, e)
			if err != nil {
				return err
			}
			rep := output{Flag: "--report", Path: c.String("report"), Kind: kindReport}
			if err := checkOutputs([]output{rep},
				[]fsguard.File{{Role: "target database", Path: dbFile(cfg)}, {Role: "archive", Path: c.String("file")},
					{Role: "import journal of the archive", Path: c.String("file") + ".import-*.json", Wild: true}}); err != nil {
				return err
			}
			// The archive's structure is checked before the target is
			// opened, so a wrong --file never creates an empty database.
			r, err := archive.Open(c.String("file"))
			if err != nil {
				return err
			}
			if err := r.Close(); err != nil {
				return err
			}
			dry := c.Bool("dry-run")
			cfg.ReadOnly = dry
			cfg.Create = !dry
			s, err := store.Open(c.Context, cfg)
			if err != nil {
				return err
			}
			defer s.Close()
			// The temporary file of a report a killed import did not
			// rename into place is removed; this one's is recorded.
			temps := besideTemps(rep.Path, "import")
			temps.sweep(e.stderr)
			defer temps.forget(e.stderr)
			bar := newProgress(e.stderr, e.tty, "import")
			res, err := importer.Import(c.Context, s, c.String("file"), importer.Options{
				OnConflict: policy, DryRun: dry,
				Progress: func(p importer.Progress) { bar.update(p.Phase, p.Done, p.Total) },
				Note:     func(msg string) { bar.done(); fmt.Fprintln(e.stderr, textwidth.OneLine(msg)) },
				// The import as it was before it wrote while it read
				// (importer/overlap.go): the same target, slower.
				Sequential: e.getenv(sequentialImportEnv) != "",
				Hooks:      e.importHooks,
			})
			bar.done()
			if res != nil {
				report.ImportSummary(e.stdout, res, report.ListedIn(rep.Path))
				if rep.Path != "" {
					rerr := recheckReplaceable(rep)
					if rerr == nil {
						rerr = report.WriteImport(rep.Path, res, temps.record, scrubFor(rep.Path, e.scrub))
					}
					if rerr != nil {
						return errors.Join(err, rerr)
					}
					fmt.Fprintf(e.stdout, "Report: %s\n", textwidth.OneLine(rep.Path))
				}
			}
			if err != nil {
				return err
			}
			if dry && res.Changes() {
				return exitCode(exitPending)
			}
			return nil
		},
	}
}

// sequentialImportEnv, set to anything, has `pcmig import` read the whole
// archive before it writes (importer.SequentialEnv).
const sequentialImportEnv = importer.SequentialEnv
