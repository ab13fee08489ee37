package lab

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/filelock"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/topology"
)

// The files of a lab estate, relative to its folder.
const (
	sourceDB      = "source-2015.db"
	targetDB      = "target-2019.db"
	topologyFile  = "topology.xml"
	directoryFile = "users.csv"
	estateFile    = "estate.lua"
)

var estateFiles = []string{sourceDB, targetDB, topologyFile, directoryFile, estateFile, sourceFiles, targetFiles, settingsFile}

// EstateFile is the name of the estate file Init writes into its folder.
const EstateFile = estateFile

// runProducts are what runs on an estate leave behind; they describe the
// databases they ran on, so Overwrite removes them with the estate.
var runProducts = []string{stateDir, "runbook.ps1", filepath.Join("archive", "pchat-2015.zip"), sourceFiles, targetFiles}

// ErrExists is wrapped by the error Init returns when the folder already
// holds an estate and Options.Overwrite is not set.
var ErrExists = errors.New("a lab estate already exists")

// Init writes a lab estate into dir (created when missing):
//
//	source-2015.db   the 2015 pool's mgc, full of generated data
//	target-2019.db   the 2019 pool's mgc: schema and static rows only
//	topology.xml     one site with both pools, the 2015 pool its default
//	users.csv        every active user, homed on the 2015 Front End pool
//	estate.lua       the estate file tying them together
//	filestore-2015/  the 2015 pool's file store: a file for every ma-filelink: link
//	filestore-2019/  the 2019 pool's file store, empty
//	pool-settings.json  the pools' own settings (configuration, compliance, endpoints)
//
// It refuses (ErrExists) when any of these files exists, unless
// opts.Overwrite is set; then it also removes what earlier runs left (the
// run state, the runbook and the archive), having first taken the locks a
// run takes (the run lock, the databases' writer locks): while a run or
// another pcmig writer holds one, it refuses, naming the holder, and
// changes nothing. The files are built in a
// temporary folder inside dir and renamed into place only when all are
// complete, so a failure leaves no half-written estate.
func Init(ctx context.Context, dir string, opts Options) (sum *Summary, err error) {
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	existing, err := present(dir, estateFiles)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 && !o.Overwrite {
		return nil, fmt.Errorf("%w in %s (%s): choose another folder or allow overwriting it",
			ErrExists, dir, strings.Join(existing, ", "))
	}
	if o.Overwrite {
		// Before anything is removed or replaced: not under a run, nor
		// under any pcmig writing to the databases.
		unlock, lerr := lockInUse(ctx, dir)
		if lerr != nil {
			return nil, lerr
		}
		defer func() { err = errors.Join(err, unlock()) }()
	}
	tmp, err := os.MkdirTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	// Held while the folder is built: an Init killed before it removed
	// its folder leaves it unlocked, and the next Init removes it.
	building, _, err := filelock.Acquire(filepath.Join(tmp, buildingLock), anyRecord)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("lab: %w", err), os.RemoveAll(tmp))
	}
	defer func() {
		rmErr := errors.Join(building.Abandon(), os.RemoveAll(tmp))
		if rmErr != nil {
			err = errors.Join(err, fmt.Errorf("lab: remove the temporary folder: %w", rmErr))
		}
	}()
	removed := sweepTemp(dir, tmp)
	if sum, err = build(ctx, tmp, o); err != nil {
		return nil, err
	}
	sum.RemovedTemporary = removed
	if o.Overwrite {
		for _, p := range runProducts {
			remove := os.RemoveAll
			if p == stateDir {
				remove = removeState // but the run lock, held
			}
			if err := remove(filepath.Join(dir, p)); err != nil {
				return nil, fmt.Errorf("lab: reset the estate: %w", err)
			}
		}
	}
	if err := moveInto(tmp, dir, estateFiles); err != nil {
		return nil, err
	}
	return sum, nil
}

// tempPrefix begins the name of the folder Init builds an estate in, and
// buildingLock is the lock file Init holds in it while it builds.
const (
	tempPrefix   = ".lab-init-"
	buildingLock = ".building"
)

// anyRecord takes a building lock's content as it is: it holds nothing.
func anyRecord([]byte) bool { return true }

// sweepTemp removes from dir the folders an Init killed while building
// left (their lock is free; a folder of an older pcmig has none), but
// keep, this Init's, and those another Init is building in. It returns
// the names it removed.
func sweepTemp(dir, keep string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) || path == keep {
			continue
		}
		l, _, err := filelock.Acquire(filepath.Join(path, buildingLock), anyRecord)
		if err != nil {
			continue // being built, or not ours to judge
		}
		_ = l.Abandon()
		if os.RemoveAll(path) == nil {
			removed = append(removed, e.Name())
		}
	}
	return removed
}

// present lists the names that exist in dir.
func present(dir string, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		_, err := os.Lstat(filepath.Join(dir, n))
		switch {
		case err == nil:
			out = append(out, n)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("lab: %w", err)
		}
	}
	return out, nil
}

// moveInto renames the files from src into dst; if one fails, the ones
// already moved are removed again, so that no mix of estates stays.
func moveInto(src, dst string, names []string) error {
	for i, n := range names {
		if err := os.Rename(filepath.Join(src, n), filepath.Join(dst, n)); err != nil {
			errs := []error{fmt.Errorf("lab: %w", err)}
			for _, done := range names[:i] {
				errs = append(errs, os.Remove(filepath.Join(dst, done)))
			}
			return errors.Join(errs...)
		}
	}
	return nil
}

// build writes every file of the estate into dir.
func build(ctx context.Context, dir string, o Options) (*Summary, error) {
	d := planDirectory(o, newGen(o.Seed, streamPrincipals))
	p := planStructure(o, d, newGen(o.Seed, streamStructure))
	sum := newSummary(p)
	if err := writeSource(ctx, filepath.Join(dir, sourceDB), p, newGen(o.Seed, streamMessages), sum); err != nil {
		return nil, fmt.Errorf("lab: %s: %w", sourceDB, err)
	}
	if err := writeTarget(ctx, filepath.Join(dir, targetDB), o); err != nil {
		return nil, fmt.Errorf("lab: %s: %w", targetDB, err)
	}
	if err := buildExtras(ctx, dir, o); err != nil {
		return nil, fmt.Errorf("lab: file stores and pool settings: %w", err)
	}
	topo, err := topology.Generate(topology.LabSpec{Site: o.Site, Domain: o.Domain,
		FrontEnd2015: o.SourceRegistrar, FrontEnd2019: o.TargetRegistrar,
		PersistentChat2015: o.SourcePool, PersistentChat2019: o.TargetPool,
		Store2015: o.SourceSQL, Store2019: o.TargetSQL, FileStore: o.FileStore})
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	files := []struct {
		name string
		data []byte
	}{
		{topologyFile, topo},
		{directoryFile, directory.Generate(directoryUsers(o, d))},
		{estateFile, estateLua(p)},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
	}
	return sum, nil
}

// directoryUsers are the active users, all homed on the 2015 Front End pool.
func directoryUsers(o Options, d *adPlan) []directory.User {
	var out []directory.User
	for _, u := range d.users {
		if u.p.State == pchat.Active {
			out = append(out, directory.User{SipAddress: u.p.URI, UserPrincipalName: u.p.UPN, RegistrarPool: o.SourceRegistrar})
		}
	}
	return out
}
