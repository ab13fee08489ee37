package bindings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/importer"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/verify"
)

// verifyLoader: require("verify")
//
//	verify.run(sources, target [, {archive=, scope={...}}]) -> result
//
// sources is one pool or a list of pools; target is a pool. archive is the
// archive the source was exported to (a list, one per source, for several);
// it defaults to the pool's archive, else the estate's (ARCHIVE.N.zip for
// the N-th of several sources, as multipool.lua names them). result:
// {verdict = "EQUAL" | "DIFFERENT", equal, target, sources = {{label,
// database, archive, import_journal, level, scope, since}}, totals =
// {source = {categories, rooms, messages}, target = {...},
// shared_messages, target_objects = {categories, rooms}}, categories = {{source, name, target_name,
// import_action, source_rooms, target_rooms, source_messages,
// target_messages, shared_messages, differences}}, rooms = {{source,
// category, name, target_name, import_action, comparison,
// source_messages, target_messages, shared_messages, first_message,
// last_message, source_digest, target_digest, equal}}, differences = {{source, category, object,
// text}}, not_carried = {{source, category, object, role, principal, text}}
// (each also a warning), rooms_in_no_category = {{source, name, node,
// where, messages, text}} (each also a warning), notes = {...},
// console_notes = {...} (what a console shows of the notes: the first few
// of each kind that repeats per object, then how many and where),
// structure_only, started, duration_ms}. It reads
// and writes nothing else; differences are in the result, not raised. In a
// dry run it compares the simulated target's structure (no messages are
// imported in a dry run). The result becomes the run's reconciliation in
// its report. Raises argument (bad scope), not_found (pool) or database.
func (e *Env) verifyLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "verify", map[string]lua.LGFunction{"run": e.verifyRun})
	L.Push(t)
	return 1
}

func (e *Env) verifyRun(L *lua.LState) int {
	pools := e.poolList(L, 1)
	target, tgt := e.poolStore(L, 2)
	o := opts(L, "verify.run")
	archives := optStrings(L, o, "archive")
	if len(archives) > 0 && len(archives) != len(pools) {
		L.ArgError(3, fmt.Sprintf("archive: %d given for %d sources", len(archives), len(pools)))
	}
	dry := dryRun(L)
	var sources []verify.Source
	// named are the archives as the run names them: in a dry run an
	// archive this run exported is read from scratch space (e.input), and
	// the result names the file the estate names, as export.run's does.
	named := make([]string, len(pools))
	for i, p := range pools {
		archive := ""
		if len(archives) > 0 {
			archive = e.file(L, archives[i])
		} else if e.Estate != nil {
			archive = e.file(L, SourceArchive(e.Estate, p, i, len(pools)))
		} else if p.Archive != "" {
			archive = e.file(L, p.Archive)
		}
		src := verify.Source{Label: poolLabel(p, fmt.Sprintf("source %d", i+1)), Store: e.store(L, p)}
		if e.Estate != nil && e.Estate.IsLab() {
			src.Files = PoolFiles(e.Estate, p)
		}
		if archive != "" {
			if _, err := os.Stat(e.input(archive)); err == nil {
				src.Archive = e.input(archive)
				named[i] = archive
			} else if !errors.Is(err, fs.ErrNotExist) {
				raise(L, err)
			}
		}
		if dry {
			// A dry run keeps no journal: the import's outcomes are in memory.
			src.Outcomes = e.importOutcomes(archive)
		}
		sources = append(sources, src)
	}
	vo := verify.Options{Scope: optStrings(L, o, "scope"), StructureOnly: dry, Now: e.Now, TargetFiles: e.targetFiles(target.Pool)}
	if e.Estate != nil && strings.EqualFold(target.Pool, e.Estate.Target.Pool) {
		vo.ExtraCreators = e.Estate.Creators
	}
	// verify reads the pools itself: the modules' views of them go first,
	// so that the run does not hold each pool twice (they are read again
	// if the script uses them afterwards).
	for _, src := range sources {
		e.forgetPool(src.Store)
	}
	e.forgetPool(tgt)
	res, err := verify.Run(L.Context(), sources, tgt, vo)
	if err != nil && strings.Contains(err.Error(), "--scope") {
		pcrt.RaiseError(L, pcrt.KindArgument, "%v", strings.Replace(err.Error(), "--scope", "scope", 1))
	}
	check(L, err)
	for i := range res.Sources {
		if i < len(named) && named[i] != "" && res.Sources[i].Archive == sources[i].Archive {
			res.Sources[i].Archive = named[i]
		}
	}
	if len(res.NotCarried) > 0 {
		texts := make([]string, len(res.NotCarried))
		for i, n := range res.NotCarried {
			texts[i] = n.Text
		}
		warnGroup(L, "source roles not carried: outside their category's allowed members minus denied members", texts)
	}
	if len(res.NoCategory) > 0 {
		texts := make([]string, len(res.NoCategory))
		for i, n := range res.NoCategory {
			texts[i] = n.Text
		}
		warnGroup(L, "source rooms in no category: no export carries them or their history", texts)
	}
	if h := pcrt.HostFrom(L); h != nil {
		h.SetReconciliation(res)
	}
	t := toLua(L, res).(*lua.LTable)
	t.RawSetString("console_notes", toLua(L, consoleNotes(L, res)))
	L.Push(t)
	return 1
}

// consoleNotes are the lines a run's console shows of a reconciliation's
// notes (the result's console_notes): of the notes that repeat per
// category, room or role the first few of each kind, then how many there
// are and where every one is (the report; --log-level debug prints them
// all); every note outside a run.
func consoleNotes(L *lua.LState, res *verify.Result) []string {
	h := pcrt.HostFrom(L)
	if h == nil {
		return res.Notes
	}
	kinds := make([]string, len(res.Notes))
	for i, n := range res.Notes {
		kinds[i] = res.NoteKind(n)
	}
	return h.GroupLines(res.Notes, kinds, verify.NoteWhat)
}

// poolList reads a pool or a list of pools.
func (e *Env) poolList(L *lua.LState, n int) []estate.Pool {
	if t, ok := L.Get(n).(*lua.LTable); ok && t.RawGetString("db") == lua.LNil && t.Len() > 0 {
		pcrt.CheckPlain(L, "", "a list of pools", t)
		var out []estate.Pool
		for i := 1; i <= t.Len(); i++ {
			L.Push(t.RawGetInt(i))
			out = append(out, e.pool(L, L.GetTop()))
			L.Pop(1)
		}
		return out
	}
	return []estate.Pool{e.pool(L, n)}
}

// SourceArchive is where a source was exported to, as the bundled scripts
// name it: its own archive, the estate's for a single source, or
// ARCHIVE.N.zip for the N-th of several.
func SourceArchive(est *estate.Estate, p estate.Pool, i, n int) string {
	switch {
	case p.Archive != "":
		return p.Archive
	case n == 1:
		return est.Archive
	}
	return fmt.Sprintf("%s.%d.zip", est.Archive, i+1)
}

// rememberImport keeps an import's result for a later verify of the same
// archive in the same run.
func (e *Env) rememberImport(archive string, res *importer.Result) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.imports == nil {
		e.imports = map[string]*importer.Result{}
	}
	e.imports[archive] = res
}

// importOutcomes are the outcomes of this run's import of archive (an
// empty list when there was none).
func (e *Env) importOutcomes(archive string) []importer.Outcome {
	e.mu.Lock()
	res := e.imports[archive]
	e.mu.Unlock()
	out := []importer.Outcome{}
	if res == nil {
		return out
	}
	for _, c := range res.Categories {
		out = append(out, importer.Outcome{Kind: "category", Name: c.Name, Action: c.Action, Target: c.Target})
	}
	for _, r := range res.Rooms {
		out = append(out, importer.Outcome{Kind: "room", Name: r.Name, Action: r.Action, Target: r.Target})
	}
	return out
}
