package bindings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/numtext"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// exportLoader: require("export")
//
//	export.run(pool, {file=, level="All", scope={...}, since="2020-01-01",
//	           disable_exported=false, replace_unpaired_surrogates=false,
//	           overwrite=false}) -> result
//
// result: {archive, level, scope, since, counts={principals, categories,
// addins, rooms, messages}, rooms={{name, category, messages, disabled}},
// disabled_rooms, warnings={...}, started, duration_ns}. file defaults to
// the estate's archive and is relative to the estate folder. Raises
// not_found (pool, or scope names a category the pool lacks), argument
// (level, since), io (the archive exists and overwrite is not set, or
// cannot be written), conflict or database. In a dry run the archive goes
// to scratch space and later reads of file (import.run) use it.
func (e *Env) exportLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "export", map[string]lua.LGFunction{"run": e.exportRun})
	L.Push(t)
	return 1
}

func (e *Env) exportRun(L *lua.LState) int {
	p := e.pool(L, 1)
	o := opts(L, "export.run")
	file := e.archivePath(L, o)
	level, err := exporter.ParseLevel(optString(L, o, "level", "All"))
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "%v", err)
	}
	var since time.Time
	if v := optString(L, o, "since", ""); v != "" {
		if since, err = exporter.ParseDate(v); err != nil {
			pcrt.RaiseError(L, pcrt.KindArgument, "%v", err)
		}
	}
	scope := optStrings(L, o, "scope")
	disable := optBool(L, o, "disable_exported", false)
	overwrite := optBool(L, o, "overwrite", false)
	replace := optBool(L, o, "replace_unpaired_surrogates", false)
	s := e.store(L, p)
	if disable && s.Unlocked() != "" {
		pcrt.RaiseError(L, pcrt.KindConflict, "disable_exported writes to %s, and %s; make the folder of the database writable "+
			"for the account that runs pcmig, or export without disable_exported, then run again", p.Pool, s.Unlocked())
	}
	if len(scope) > 0 && level >= exporter.Category {
		var missing []string
		for _, name := range scope {
			if _, ok := e.categoryByName(L, s, name); !ok {
				missing = append(missing, fmt.Sprintf("%q", name))
			}
		}
		if len(missing) > 0 {
			pcrt.RaiseError(L, pcrt.KindNotFound, "scope names categories that are not in %s: %s", p.Pool, strings.Join(missing, ", "))
		}
	}
	// Checked here, against what this run wrote so far too, so that a dry
	// run fails where the real run would.
	// A file that is not a pcmig archive first: overwrite = true would
	// not replace it either.
	check(L, archive.CheckReplaceable(e.input(file)))
	if _, err := os.Lstat(e.input(file)); err == nil && !overwrite {
		raise(L, fmt.Errorf("archive %s: %w (a pcmig archive): give overwrite = true to replace it", file, fs.ErrExist))
	}
	out, err := e.output(L, file)
	check(L, err)
	exportProgress := e.progressLog(L, "export")
	var created func(string) error
	if st, err := os.Stat(e.stateDir()); err == nil && st.IsDir() && !dryRun(L) {
		// An export killed before it committed the archive: the next
		// run removes its temporary files, and only them (pcmig run
		// sweeps the state folder's ledger when it starts).
		l := atomicfile.Ledger{Path: filepath.Join(e.Estate.State, estate.TempLedgerName)}
		created = l.Record
		// Once the export ends its files are renamed or removed: their
		// lines go (a ledger left empty is removed).
		defer func() {
			if err := l.Forget(); err != nil {
				warn(L, "%v", err)
			}
		}()
	}
	res, err := exporter.Export(L.Context(), s, out, exporter.Options{
		Level: level, Scope: scope, Since: since, DisableExported: disable, ReplaceUnpairedSurrogates: replace,
		SourcePool: p.Pool, ToolVersion: e.ToolVersion, Overwrite: overwrite || dryRun(L), Now: e.Now,
		Progress: func(pr exporter.Progress) { exportProgress.update(pr.Phase, pr.Done, pr.Total) },
		Created:  created,
	})
	if disable {
		e.forgetPool(s) // the rooms it disabled
	}
	check(L, err)
	if !dryRun(L) {
		e.exported(file, importer.ArchiveID(res.Manifest), importer.DescribeArchive(res.Manifest))
	}
	res.Archive = file
	record(L, pcrt.Action{Module: "export", Op: "write archive", Target: file, Count: res.Counts.Messages,
		Detail: fmt.Sprintf("level %s from %s: %s, %s, %s, %s, %s", res.Level, p.Pool,
			numtext.Count(res.Counts.Principals, "principal", "principals"), numtext.Count(res.Counts.Categories, "category", "categories"),
			numtext.Count(res.Counts.Addins, "add-in", "add-ins"), numtext.Count(res.Counts.Rooms, "room", "rooms"),
			numtext.Count(res.Counts.Messages, "message", "messages"))})
	if res.Disabled > 0 {
		record(L, pcrt.Action{Module: "export", Op: "disable rooms", Target: p.Pool, Count: int64(res.Disabled),
			Detail: fmt.Sprintf("disable %s in the source", numtext.Count(res.Disabled, "exported room", "exported rooms"))})
	}
	// Those that repeat once per node, one group per kind, after the
	// others (Host.WarnGroup: the first few on the console).
	groups := map[string][]string{}
	var order []string
	kinds := res.WarningKinds()
	for i, w := range res.Warnings {
		k := ""
		if i < len(kinds) {
			k = kinds[i]
		}
		if k == "" {
			warn(L, "%s", w)
			continue
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], w)
	}
	for _, k := range order {
		warnGroup(L, exporter.WarningWhat(k), groups[k])
	}
	L.Push(toLua(L, res))
	return 1
}

// archivePath is the file option of export.run and import.run, or the
// estate's archive, resolved against the estate's folder.
func (e *Env) archivePath(L *lua.LState, o options) string {
	file := optString(L, o, "file", "")
	if file == "" && e.Estate != nil {
		file = e.Estate.Archive
	}
	if file == "" {
		L.ArgError(2, "file is required (the estate names no archive)")
	}
	return e.file(L, file)
}

// importLoader: require("import")
//
//	import.run(pool, {file=, on_conflict="merge"}) -> result
//	import.record(pool, {file=}) -> record | nil (see importrecord.go)
//
// result: {archive, target, dry_run, on_conflict, level, principals={create,
// existing}, add_affiliations, addins={create, existing},
// categories={{name, target_name, action, add_allowed, add_denied,
// add_creators, rooms}}, rooms={{name, target_name, category, action,
// add_members, add_managers, add_presenters, messages, already_imported,
// imported}}, conflicts={{kind, name, resolution, detail}},
// problems={{severity, object, message}}, messages={in_archive,
// already_imported, to_import, imported, skipped}, resumed, duration_ns}.
// file and on_conflict default to the estate's. Raises validation (not an
// archive, a damaged one, or pre-flight errors: nothing was written),
// argument (on_conflict), not_found (pool), io (no such file), conflict
// (live pool) or database. A re-run after a kill resumes at the import's
// own checkpoint. In a dry run the structure is applied to the simulated
// target so later steps see it; messages are counted only.
func (e *Env) importLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "import", map[string]lua.LGFunction{"run": e.importRun, "record": e.importRecordFn})
	L.Push(t)
	return 1
}

func (e *Env) importRun(L *lua.LState) int {
	p := e.pool(L, 1)
	o := opts(L, "import.run")
	file := e.archivePath(L, o)
	conflict := optString(L, o, "on_conflict", "")
	if conflict == "" && e.Estate != nil {
		conflict = e.Estate.OnConflict
	}
	conflict, err := importer.ParseOnConflict(conflict)
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "%v", err)
	}
	s := e.store(L, p)
	dry := dryRun(L)
	var want string
	exp, ok := e.exportedAt(file)
	if ok && !dry {
		want = exp.ID
	}
	importProgress := e.progressLog(L, "import")
	res, err := importer.Import(L.Context(), s, e.input(file), importer.Options{
		OnConflict: conflict, NoJournal: dry, SkipMessages: dry, Now: e.Now, Archive: want,
		Progress: func(pr importer.Progress) { importProgress.update(pr.Phase, pr.Done, pr.Total) },
		Note:     func(msg string) { say(L, "%s", msg) },
		// importer.SequentialEnv: the import reads the whole archive
		// before it writes, as `pcmig import` does with it.
		Sequential: e.Getenv != nil && e.Getenv(importer.SequentialEnv) != "",
		Hooks:      e.ImportHooks,
	})
	e.forgetPool(s)
	if errors.Is(err, importer.ErrArchiveReplaced) {
		err = fmt.Errorf("%w; the run's step %q wrote the archive %s there: another process (a run of another estate that names the same archive file, a pcmig export) wrote over it since. "+
			"Give each estate an archive file of its own, then run again with --fresh: the export writes it again, and what was already imported is found, not imported twice", err, exp.Step, exp.Desc)
	}
	if res != nil {
		res.Archive, res.DryRun = file, dry
		warnProblems(L, res.Problems)
	}
	if err != nil && res != nil && res.Errors() > 0 {
		// The error says "see the list above": the list goes to the log
		// whatever its level, and into the report.
		for _, pr := range res.Problems {
			if pr.Severity == importer.Error {
				logError(L, "%s: %s", pr.Object, pr.Message)
			}
		}
	}
	check(L, err)
	if dry {
		// A dry run keeps no journal: a verify later in the run takes the
		// import's outcomes from here.
		e.rememberImport(file, res)
	}
	recordImport(L, p.Pool, res)
	L.Push(toLua(L, res))
	return 1
}

func recordImport(L *lua.LState, pool string, res *importer.Result) {
	if res.Principals.Create > 0 {
		record(L, pcrt.Action{Module: "import", Op: "add principals", Target: pool, Count: int64(res.Principals.Create),
			Detail: fmt.Sprintf("add %s (users, groups, containers) to %s", numtext.Count(res.Principals.Create, "principal", "principals"), pool)})
	}
	if res.Affiliations > 0 {
		record(L, pcrt.Action{Module: "import", Op: "add affiliations", Target: pool, Count: int64(res.Affiliations),
			Detail: fmt.Sprintf("add %d group, container and domain %s", res.Affiliations, numtext.Noun(res.Affiliations, "membership", "memberships"))})
	}
	if res.Addins.Create > 0 {
		record(L, pcrt.Action{Module: "import", Op: "add add-ins", Target: pool, Count: int64(res.Addins.Create)})
	}
	for _, c := range res.Categories {
		adds := c.AddAllowed + c.AddDenied + c.AddCreators
		switch c.Action {
		case importer.ActCreate, importer.ActRename:
			record(L, pcrt.Action{Module: "import", Op: "create category", Target: c.Target,
				Detail: fmt.Sprintf("%d allowed, %d denied, %s, %s", c.AddAllowed, c.AddDenied, numtext.Count(c.AddCreators, "creator", "creators"), numtext.Count(c.Rooms, "room", "rooms"))})
		case importer.ActMerge, importer.ActExists:
			if adds > 0 {
				record(L, pcrt.Action{Module: "import", Op: "merge category", Target: c.Target, Count: int64(adds),
					Detail: fmt.Sprintf("+%d allowed, +%d denied, +%s", c.AddAllowed, c.AddDenied, numtext.Count(c.AddCreators, "creator", "creators"))})
			}
		}
	}
	for _, r := range res.Rooms {
		roles := r.AddMembers + r.AddManagers + r.AddPresenters
		n := r.Messages - r.AlreadyThere
		switch {
		case r.Action == importer.ActSkip:
			continue
		case r.Action == importer.ActCreate || r.Action == importer.ActRename:
			record(L, pcrt.Action{Module: "import", Op: "create room", Target: r.Target, Count: n,
				Detail: fmt.Sprintf("in %q: %s", r.Category, roomAdds(r, n, ""))})
		case roles > 0 || n > 0:
			record(L, pcrt.Action{Module: "import", Op: "merge room", Target: r.Target, Count: n,
				Detail: roomAdds(r, n, "+")})
		}
	}
}

// roomAdds is "2 members, 1 manager, 0 presenters, 5 messages", each role
// count after sign ("+" for a merge).
func roomAdds(r importer.RoomResult, messages int64, sign string) string {
	return fmt.Sprintf("%s%s, %s%s, %s%s, %s", sign, numtext.Count(r.AddMembers, "member", "members"), sign, numtext.Count(r.AddManagers, "manager", "managers"),
		sign, numtext.Count(r.AddPresenters, "presenter", "presenters"), numtext.Count(messages, "message", "messages"))
}
