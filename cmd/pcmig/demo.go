package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/numtext"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/textwidth"
	"github.com/pcmig/pcmig/topology"
	"github.com/pcmig/pcmig/verify"
)

func demoCommand(e env) *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "create a lab estate, dry-run and then run the bundled migration on it, and show the result",
		Description: `The demo writes a lab estate (a 2015 and a 2019 Persistent Chat pool as embedded
databases, a topology document and a user directory), runs the bundled
migrate.lua (10 steps: Microsoft's documented procedure with pcmig's own steps)
once with --dry-run and once for real. The script ends by reconciling
the target with the source (pcmig verify): every category, room, role and
message; the demo prints that verdict and checks the site's default pool and
the users' home pool. Exit code 3 when anything differs.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "estate folder (default: a new folder under the system temp folder)"},
			&cli.IntFlag{Name: "messages", Value: 20000, Usage: "messages in the lab's 2015 pool"},
			&cli.Int64Flag{Name: "seed", Value: 1, Usage: "lab random seed"},
			&cli.BoolFlag{Name: "overwrite", Usage: "replace an existing estate in --dir"},
		},
		Action: func(c *cli.Context) error {
			if err := checkLabCounts(c, "messages"); err != nil {
				return err
			}
			dir := c.String("dir")
			if dir == "" {
				var err error
				if dir, err = os.MkdirTemp("", "pcmig-demo-*"); err != nil {
					return err
				}
			}
			fmt.Fprintf(e.stdout, "== Creating a lab estate in %s\n", textwidth.OneLine(dir))
			sum, err := lab.Init(c.Context, dir, lab.Options{Messages: c.Int("messages"), Seed: c.Int64("seed"), Overwrite: c.Bool("overwrite")})
			if errors.Is(err, lab.ErrExists) {
				return fmt.Errorf("%w (pcmig demo --overwrite --dir %s replaces it)", err, dir)
			}
			if err != nil {
				return err
			}
			sayRemovedTemporary(e, dir, sum)
			fmt.Fprintf(e.stdout, "%s, %s, %s, %s in the 2015 pool %s\n\n",
				numtext.Count(sum.Users, "user", "users"), numtext.Count(sum.Categories, "category", "categories"),
				numtext.Count(sum.Rooms, "room", "rooms"), numtext.Count(sum.Messages, "message", "messages"), sum.SourcePool)
			est := filepath.Join(dir, "estate.lua")
			fmt.Fprintf(e.stdout, "== Dry run: pcmig run --estate %s --dry-run\n", textwidth.OneLine(est))
			if _, err := runScript(c.Context, e, "", settings{estate: est, dryRun: true, logLevel: "warn", plan: filepath.Join(dir, "plan.json")}); err != nil && !isCode(err, exitPending) {
				return err
			}
			fmt.Fprintf(e.stdout, "\n== Migration: pcmig run --estate %s --report report.html\n", textwidth.OneLine(est))
			reportPath := filepath.Join(dir, "report.html")
			rep, err := runScript(c.Context, e, "", settings{estate: est, logLevel: "warn", report: reportPath})
			if err != nil {
				return err
			}
			jsonPath := filepath.Join(dir, "report.json")
			if err := writeOutput(output{Flag: "report", Path: jsonPath, Kind: kindReport}, func() error {
				return rep.WriteReport(jsonPath, scrubFor(jsonPath, e.scrub))
			}); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout)
			return demoCheck(c, e, est, rep, reportPath)
		},
	}
}

func isCode(err error, code int) bool {
	var c exitCode
	return errors.As(err, &c) && int(c) == code
}

// demoCheck prints the result of the run: its reconciliation of target
// and source (the last step, verify), and what verify does not cover: the
// site's default pool and the users' home pool.
func demoCheck(c *cli.Context, e env, estPath string, rep *pcrt.Report, reportPath string) error {
	rec := rep.Reconciliation
	if rec == nil {
		return errors.New("the migration made no reconciliation (the bundled script ends with verify)")
	}
	est, err := estate.Load(c.Context, estPath)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(est.Topology)
	if err != nil {
		return err
	}
	topo, err := topology.Parse(data)
	if err != nil {
		return err
	}
	def, _ := topo.DefaultPersistentChatPool(est.Site)
	dirData, err := os.ReadFile(est.Directory)
	if err != nil {
		return err
	}
	dir, _, err := directory.Parse(dirData)
	if err != nil {
		return err
	}
	var w strings.Builder
	fmt.Fprintf(&w, "== Result (%s, %s in %s)\n", rep.Status, numtext.Count(len(rep.Steps), "step", "steps"), time.Duration(rep.DurationMS)*time.Millisecond)
	if err := verify.WriteText(&w, rec, "the report lists every one"); err != nil {
		return err
	}
	fmt.Fprintf(&w, "Site %s: default Persistent Chat pool %s.\n", est.Site, def)
	onSource, onTarget := len(dir.ByPool(est.Source.Registrar)), len(dir.ByPool(est.Target.Registrar))
	fmt.Fprintf(&w, "Users: %d homed on %s, %d still on %s.\n", onTarget, est.Target.Registrar, onSource, est.Source.Registrar)
	fmt.Fprintf(&w, "Report: %s (and report.json)\n", textwidth.OneLine(reportPath))
	if _, err := fmt.Fprint(e.stdout, w.String()); err != nil {
		return err
	}
	if !rec.IsEqual() || !strings.EqualFold(def, est.Target.Pool) || onSource > 0 {
		return exitCode(exitDifferent)
	}
	return nil
}
