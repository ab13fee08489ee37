package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

func doctorCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "read-only pre-flight of a database: schema, identity, triggers, collations, permissions, counters, heartbeats, space",
		Description: "Checks, without writing, everything pcmig assumes about an mgc database, one line each: OK, WARN or FAIL and\n" +
			"what to do. Give one database (--db or --db-instance; --role says whether pcmig will write to it) or an estate\n" +
			"(--estate: its sources as sources, its target as the target of their import, and each pool's file store). The exit\n" +
			"code is 1 when a check fails.",
		ArgsUsage: " ",
		Flags: append(dbFlags(),
			&cli.StringFlag{Name: "estate", Aliases: []string{"e"}, Usage: "check every database of an estate file instead"},
			&cli.StringFlag{Name: "role", Value: store.RoleTarget, Usage: "target (pcmig will write to it) or source (pcmig reads it)"},
			&cli.StringFlag{Name: "file", Usage: "the archive that will be imported: its size is checked against the free space"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.BoolFlag{Name: "force", Usage: "report Persistent Chat servers that heartbeat (outside a maintenance window) as WARN instead of FAIL"},
		),
		Action: func(c *cli.Context) error {
			reports, err := runDoctor(c, e)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(reports); err != nil {
					return err
				}
			} else {
				for i, r := range reports {
					if i > 0 {
						fmt.Fprintln(e.stdout)
					}
					writeDoctor(e.stdout, r)
				}
			}
			for _, r := range reports {
				if r.Failed() {
					return exitCode(1)
				}
			}
			return nil
		},
	}
}

// doctorTarget is one database to check.
type doctorTarget struct {
	label string
	cfg   store.Config
	// db is the database, opened once for the whole doctor run (nil when
	// unconfigured).
	db   *store.DoctorDB
	opts store.DoctorOptions
	// pool is the estate's pool, for its file store line (nil without
	// an estate); real is a real estate's.
	pool *estate.Pool
	real bool
	// est is the estate, for the target's pool settings line.
	est *estate.Estate
	// unconfigured is why the database's configuration could not be made
	// (an empty password_env variable): its report is that one FAIL line.
	unconfigured error
}

func runDoctor(c *cli.Context, e env) ([]*store.DoctorReport, error) {
	open := e.openDoctor
	if open == nil {
		open = store.OpenDoctor
	}
	var targets []doctorTarget
	defer func() {
		for _, t := range targets {
			if t.db != nil {
				t.db.Close() // read-only: nothing to lose
			}
		}
	}()
	if path := c.String("estate"); path != "" {
		if c.IsSet("db") || c.IsSet("db-instance") || c.IsSet("role") {
			return nil, usagef("--estate names the databases and their roles: leave out --db, --db-instance and --role")
		}
		est, err := estate.Load(c.Context, path)
		if err != nil {
			return nil, err
		}
		if targets, err = estateDoctorTargets(c.Context, est, e, c.Bool("force"), open); err != nil {
			return nil, err
		}
	} else {
		cfg, err := dbConfig(c, e)
		if err != nil {
			return nil, err
		}
		role := strings.ToLower(c.String("role")) // any letter case, as every enumerated option
		if role != store.RoleTarget && role != store.RoleSource {
			return nil, usagef("--role %q: want target or source", c.String("role"))
		}
		db, err := open(c.Context, cfg)
		if err != nil {
			return nil, usageError{err}
		}
		targets = []doctorTarget{{cfg: cfg, db: db, opts: store.DoctorOptions{Role: role, Relaxed: cfg.Force}}}
	}
	if f := c.String("file"); f != "" {
		bytes, msgs, err := bindings.ArchiveSize(f)
		if err != nil {
			return nil, err
		}
		for i := range targets {
			if targets[i].opts.Role == store.RoleTarget {
				targets[i].opts.ImportBytes, targets[i].opts.ImportMessages = bytes, msgs
			}
		}
	}
	var out []*store.DoctorReport
	var err error
	for _, t := range targets {
		var r *store.DoctorReport
		if t.db == nil {
			r = store.DoctorUnconfigured(t.cfg, t.opts.Role, t.unconfigured)
		} else if r, err = t.db.Check(c.Context, t.opts); err != nil {
			return nil, usageError{err}
		}
		if t.label != "" {
			r.Database = t.label + ": " + r.Database
		}
		if t.pool != nil {
			if c, ok := bindings.FileStoreCheck(*t.pool, t.opts.Role, t.real, true); ok {
				r.Checks = append(r.Checks, c)
			}
		}
		if t.est != nil {
			if c, ok := bindings.PoolSettingsCheck(t.est, t.opts.Role, t.est.PoolSettings); ok {
				r.Checks = append(r.Checks, c)
			}
			if c, ok := bindings.DirectoryCheck(t.est, t.opts.Role); ok {
				r.Checks = append(r.Checks, c)
			}
			if c, ok := bindings.TopologyCheck(t.est, t.opts.Role); ok {
				r.Checks = append(r.Checks, c)
			}
			if fc, ok := bindings.FileNamesCheck(c.Context, t.est, doctorLinks(c.Context, targets), doctorScope(c.Context, t.est, targets)); ok {
				r.Checks = append(r.Checks, fc)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// estateDoctorTargets are an estate's sources, then its target, each
// database opened once: the target is sized by what the sources hold,
// and the sources' names are compared as the target compares names (the
// import does). Each has its pool for the file store line. A database
// whose configuration cannot be made (an empty password_env variable) is
// still a target: its report says why, and the others are checked.
// force (--force) makes a live server a warning, as with --db.
func estateDoctorTargets(ctx context.Context, est *estate.Estate, e env, force bool,
	open func(context.Context, store.Config) (*store.DoctorDB, error)) ([]doctorTarget, error) {
	pools := est.Sources
	if est.Source != nil {
		pools = append([]estate.Pool{*est.Source}, pools...)
	}
	var out []doctorTarget
	for i, p := range append(pools, est.Target) {
		role := store.RoleSource
		if i == len(pools) {
			role = store.RoleTarget
		}
		t := doctorTarget{label: role + " " + p.Pool, opts: store.DoctorOptions{Role: role, Relaxed: force, ReplaceUnpaired: role == store.RoleSource && est.Export.ReplaceUnpairedSurrogates}, pool: &p, real: !est.IsLab()}
		t.cfg, t.unconfigured = p.DB.Config(est.Dir, e.getenv)
		if t.unconfigured == nil {
			for _, w := range t.cfg.Warnings() {
				fmt.Fprintf(e.stderr, "pcmig: warning: %s\n", textwidth.Continued(w, errorIndent))
			}
			var err error
			if t.db, err = open(ctx, t.cfg); err != nil {
				for _, o := range out {
					if o.db != nil {
						o.db.Close() // read-only: nothing to lose
					}
				}
				return nil, usageError{err}
			}
		}
		out = append(out, t)
	}
	target := &out[len(out)-1]
	target.est = est
	var names *store.Collation
	if target.db != nil {
		names = target.db.NameCollation(ctx)
	}
	for i := range out[:len(out)-1] {
		out[i].opts.TargetNames = names
		if out[i].db != nil {
			b, m, err := out[i].db.MessageSize(ctx, est.Export.Scope...) // an estate of some categories imports theirs
			if err != nil && target.opts.ImportUnknown == "" {
				// The source's own report says what failed, its secrets
				// removed; the target's size lines say they compared nothing.
				target.opts.ImportUnknown = "the messages of " + out[i].cfg.Describe() + " could not be read (see its report)"
			}
			target.opts.ImportBytes, target.opts.ImportMessages = target.opts.ImportBytes+b, target.opts.ImportMessages+m
		}
	}
	return out, nil
}

// writeDoctor prints a report: a heading, one line per check, the action
// indented under it, and a summary.
func writeDoctor(w io.Writer, r *store.DoctorReport) {
	fmt.Fprintf(w, "%s (%s, as %s)\n", textwidth.OneLine(r.Database), r.Dialect, r.Role)
	for _, c := range r.Checks {
		fmt.Fprintf(w, "%-4s  %-15s %s\n", c.Status, c.Check, textwidth.OneLine(c.Message))
		if c.Action != "" && c.Status != store.DoctorOK {
			fmt.Fprintf(w, "      %-15s -> %s\n", "", textwidth.OneLine(c.Action))
		}
	}
	var parts []string
	for _, s := range []string{store.DoctorFail, store.DoctorWarn, store.DoctorOK} {
		parts = append(parts, fmt.Sprintf("%d %s", r.Count(s), s))
	}
	fmt.Fprintln(w, strings.Join(parts, ", "))
}

// doctorScope chooses, for an estate of some categories (export.scope,
// routes), the files of its source's store that the messages of their
// rooms link to, as the copy does, reading its database read-only; nil (all
// files) for another pool or estate, or when the database cannot be read
// (the database's own lines say why).
func doctorScope(ctx context.Context, est *estate.Estate, targets []doctorTarget) func(p estate.Pool) func(string) bool {
	return func(p estate.Pool) func(string) bool {
		if len(est.Export.Scope) == 0 || est.Source == nil || p.Pool != est.Source.Pool {
			return nil
		}
		s := openDoctorPool(ctx, targets, p)
		if s == nil {
			return nil
		}
		defer s.Close()
		f, err := bindings.ScopeFiles(ctx, s, est.Export.Scope)
		if err != nil {
			return nil
		}
		return f
	}
}

// openDoctorPool opens, read-only, the database of the estate's pool p
// among the doctor's targets; nil when it is not one of them or cannot be
// opened (the database's own lines say why).
func openDoctorPool(ctx context.Context, targets []doctorTarget, p estate.Pool) *store.Store {
	for _, t := range targets {
		if t.pool == nil || t.unconfigured != nil || t.pool.Pool != p.Pool || t.pool.DB != p.DB {
			continue
		}
		cfg := t.cfg
		cfg.ReadOnly = true
		s, err := store.Open(ctx, cfg)
		if err != nil {
			return nil
		}
		return s
	}
	return nil
}

// doctorLinks names the messages of an estate's pool that link to files
// (the "uploaded file names" line's findings), reading its database
// read-only; "" when it cannot be read.
func doctorLinks(ctx context.Context, targets []doctorTarget) func(p estate.Pool, files []string) string {
	return func(p estate.Pool, files []string) string {
		s := openDoctorPool(ctx, targets, p)
		if s == nil {
			return ""
		}
		defer s.Close()
		return bindings.LinkedIn(ctx, s, p.Pool, files)
	}
}
