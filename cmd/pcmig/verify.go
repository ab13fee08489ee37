package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
	"github.com/pcmig/pcmig/verify"
)

// exitDifferent is verify's exit code when the target differs.
const exitDifferent = 3

func verifyCommand(e env) *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "reconcile a migrated target pool with its source, object by object (read-only)",
		ArgsUsage: " ",
		Description: `verify compares every category (settings, allowed and denied members, creators
by principal URI) and every room (category, settings, add-in, members, managers,
presenters by URI, message count, first and last message time, a digest of
the whole ordered history and the room's chat ID counter) of the source with the
target, and, with the archive, that each of its principals is in the target, of
its kind. It prints EQUAL or each difference, reading both databases and
changing nothing.

Give the pools with --source and --target (and --archive, the archive the
source was exported to, so that verify compares what the export was meant to
carry, matches principals by the archive's as the import did, and reads the
import's journal beside it), or with --estate, which names them all;
multi-pool estates verify every source. Every uploaded file the target's
messages link to must be in the target's file store (--target-files, or the
estate's file_store) and hold the same bytes as the source's (--source-files,
or the estate's source file_store) when both are known.

Exit codes: 0 EQUAL, 3 the target differs, 1 error, 64 command-line mistake.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "source", Usage: "source database: sqlite:PATH or a sqlserver:// URL"},
			&cli.StringFlag{Name: "target", Usage: "target database: sqlite:PATH or a sqlserver:// URL"},
			&cli.StringFlag{Name: "archive", Usage: "the archive the source was exported to (its manifest, its principals and the import journal beside it)"},
			&cli.StringFlag{Name: "estate", Aliases: []string{"e"}, Usage: "an estate file naming the pools and archives instead"},
			&cli.StringFlag{Name: "target-files", Usage: "the target pool's file store (a folder or share): every file link in the target's messages must name a file there"},
			&cli.StringFlag{Name: "source-files", Usage: "the source pool's file store (a folder or share), with --target-files: each linked file must hold the same bytes in both"},
			&cli.StringSliceFlag{Name: "scope", Usage: "compare only this source category (repeatable)"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.StringFlag{Name: "report", Usage: "write a report: FILE.html for people, FILE.json for machines"},
		},
		Action: func(c *cli.Context) error {
			rep := output{Flag: "--report", Path: c.String("report"), Kind: kindReport}
			res, err := runVerify(c, e, rep)
			if err != nil {
				return err
			}
			if rep.Path != "" {
				if err := writeVerifyReport(rep, res, e); err != nil {
					return err
				}
			}
			if c.Bool("json") {
				err = writeJSONTo(e.stdout, res)
			} else {
				err = verify.WriteText(e.stdout, res, report.ListedIn(rep.Path))
			}
			if err != nil {
				return err
			}
			if !res.IsEqual() {
				return exitCode(exitDifferent)
			}
			return nil
		},
	}
}

// runVerify opens the pools the command line names and reconciles them.
// The report rep may name none of them, nor a file pcmig did not write.
func runVerify(c *cli.Context, e env, rep output) (*verify.Result, error) {
	estPath, srcDSN, tgtDSN := c.String("estate"), c.String("source"), c.String("target")
	switch {
	case estPath != "" && (srcDSN != "" || tgtDSN != "" || c.String("archive") != ""):
		return nil, usagef("verify takes --estate or --source/--target/--archive, not both")
	case estPath == "" && (srcDSN == "" || tgtDSN == ""):
		return nil, usagef("verify needs --source DSN and --target DSN, or --estate FILE")
	case estPath != "" && c.String("source-files") != "":
		return nil, usagef("verify takes --source-files with --source/--target; an estate names each pool's file_store")
	case c.String("source-files") != "" && c.String("target-files") == "":
		return nil, usagef("--source-files needs --target-files: the files are compared in the target's file store")
	}
	var stores []*store.Store
	defer func() {
		for _, s := range stores {
			s.Close()
		}
	}()
	open := func(cfg store.Config) (*store.Store, error) {
		cfg.ReadOnly = true
		// What every other command says of a connection before using it
		// (certificates not checked, traffic not encrypted).
		for _, w := range cfg.Warnings() {
			fmt.Fprintf(e.stderr, "pcmig: warning: %s\n", textwidth.Continued(w, errorIndent))
		}
		s, err := store.Open(c.Context, cfg)
		if err == nil {
			stores = append(stores, s)
		}
		return s, err
	}
	opts := verify.Options{Scope: c.StringSlice("scope"), TargetFiles: c.String("target-files")}
	var sources []verify.Source
	var target *store.Store
	if estPath == "" {
		for _, dsn := range []string{srcDSN, tgtDSN} {
			if _, err := (store.Config{DSN: dsn}).Kind(); err != nil {
				return nil, usageError{err}
			}
		}
		if estate.SameDatabase(store.Config{DSN: srcDSN}, store.Config{DSN: tgtDSN}) {
			return nil, usagef("--source and --target are one database (%s): verify compares a migrated target with its source", store.Config{DSN: tgtDSN}.Describe())
		}
		if err := checkOutputs([]output{rep}, []fsguard.File{
			{Role: "source database", Path: dbFile(store.Config{DSN: srcDSN})},
			{Role: "target database", Path: dbFile(store.Config{DSN: tgtDSN})},
			{Role: "archive", Path: c.String("archive")},
		}); err != nil {
			return nil, err
		}
		src, err := open(store.Config{DSN: srcDSN})
		if err != nil {
			return nil, fmt.Errorf("source: %w", err)
		}
		if target, err = open(store.Config{DSN: tgtDSN}); err != nil {
			return nil, fmt.Errorf("target: %w", err)
		}
		sources = []verify.Source{{Label: "source", Store: src, Archive: c.String("archive"), Files: c.String("source-files")}}
	} else {
		est, err := estate.Load(c.Context, estPath)
		if err != nil {
			return nil, err
		}
		if err := est.CheckOutputs(fsguard.File{Role: rep.Flag, Path: rep.Path}); err != nil {
			return nil, usageError{err}
		}
		if err := checkReplaceable(rep); err != nil {
			return nil, err
		}
		warnRunInProgress(e, filepath.Join(est.State, estate.RunLockName), "this verify")
		opts.ExtraCreators = est.Creators
		if opts.TargetFiles == "" {
			opts.TargetFiles = bindings.TargetFiles(est)
		}
		pools := est.Sources
		if est.Source != nil {
			pools = append([]estate.Pool{*est.Source}, pools...)
		}
		for i, p := range pools {
			cfg, err := p.DB.Config(est.Dir, e.getenv)
			if err != nil {
				return nil, fmt.Errorf("pool %s: %w", p.Pool, err)
			}
			s, err := open(cfg)
			if err != nil {
				return nil, fmt.Errorf("pool %s: %w", p.Pool, err)
			}
			sources = append(sources, verify.Source{Label: p.Pool, Store: s, Archive: bindings.SourceArchive(est, p, i, len(pools)), Files: bindings.PoolFiles(est, p)})
		}
		cfg, err := est.Target.DB.Config(est.Dir, e.getenv)
		if err != nil {
			return nil, fmt.Errorf("pool %s: %w", est.Target.Pool, err)
		}
		if target, err = open(cfg); err != nil {
			return nil, fmt.Errorf("pool %s: %w", est.Target.Pool, err)
		}
	}
	for i, s := range sources {
		if s.Archive == "" {
			continue
		}
		if _, err := os.Stat(s.Archive); errors.Is(err, fs.ErrNotExist) {
			if estPath == "" {
				return nil, fmt.Errorf("--archive %s: %w", s.Archive, err)
			}
			sources[i].Archive = "" // the estate's archive was never written: compare everything
		}
	}
	return verify.Run(c.Context, sources, target, opts)
}

// writeJSONTo writes v as indented JSON.
func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeVerifyReport writes the reconciliation as a report file, after
// checking again that the file there (if any) is a pcmig report.
func writeVerifyReport(rep output, res *verify.Result, e env) error {
	if err := recheckReplaceable(rep); err != nil {
		return err
	}
	// The temporary file of a report a killed verify did not rename into
	// place is removed; this one's is recorded.
	temps := besideTemps(rep.Path, "verify")
	temps.sweep(e.stderr)
	defer temps.forget(e.stderr)
	return report.WriteVerify(rep.Path, res, temps.record, scrubFor(rep.Path, e.scrub))
}
