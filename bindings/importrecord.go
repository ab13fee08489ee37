package bindings

import (
	"errors"
	"io/fs"
	"sort"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
)

// importOutcome is one category or room of import.record's result.
type importOutcome struct {
	Name   string `json:"name"`
	Target string `json:"target_name"`
	Action string `json:"action"`
}

// importRecord is import.record's result.
type importRecord struct {
	Archive    string          `json:"archive"`
	Journal    string          `json:"journal,omitempty"`
	Categories []importOutcome `json:"categories"`
	Rooms      []importOutcome `json:"rooms"`
}

// NoArchive is import.record's second result when there is no archive at
// the file; the others are importer.NoJournal, importer.OtherArchive,
// importer.OtherTarget and importer.NoOutcomes.
const NoArchive = "no archive"

// importRecordFn is import.record(pool [, {file=}]) -> record | nil, why: what
// an import of the archive into the pool did with each archive category
// and room ({name, target_name, action}), so that later steps (and resumed
// runs, whose import step was skipped) touch the objects the import
// created, renamed or merged under the names they have in the target. It
// comes from this run's import in a dry run, else from the import journal
// beside the archive. nil when the archive was not imported into the pool,
// and then a second result says why: NoArchive, importer.NoJournal,
// importer.OtherArchive, importer.OtherTarget (the journal is of another
// database with the pool's pool ID) or importer.NoOutcomes. Reads only.
func (e *Env) importRecordFn(L *lua.LState) int {
	p := e.pool(L, 1)
	file := e.archivePath(L, opts(L, "import.record"))
	s := e.store(L, p)
	rec := &importRecord{Archive: file, Categories: []importOutcome{}, Rooms: []importOutcome{}}
	var outs []importer.Outcome
	if dryRun(L) {
		outs = e.importOutcomes(file)
	}
	if len(outs) == 0 {
		r, err := archive.Open(e.input(file))
		if errors.Is(err, fs.ErrNotExist) {
			L.Push(lua.LNil)
			L.Push(lua.LString(NoArchive))
			return 2
		}
		check(L, err)
		man := r.Manifest()
		check(L, r.Close())
		poolID, err := s.PoolID(L.Context())
		check(L, err)
		jr, look, err := importer.FindRecord(e.input(file), man, poolID, s)
		check(L, err)
		if jr == nil || len(jr.Outcomes) == 0 {
			L.Push(lua.LNil)
			L.Push(lua.LString(look.Why))
			return 2
		}
		rec.Journal = jr.Path
		for _, o := range jr.Outcomes {
			outs = append(outs, o)
		}
	}
	for _, o := range outs {
		x := importOutcome{Name: o.Name, Target: o.Target, Action: o.Action}
		if o.Kind == "category" {
			rec.Categories = append(rec.Categories, x)
		} else {
			rec.Rooms = append(rec.Rooms, x)
		}
	}
	for _, l := range [][]importOutcome{rec.Categories, rec.Rooms} {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Name != l[j].Name {
				return l[i].Name < l[j].Name
			}
			return l[i].Target < l[j].Target
		})
	}
	L.Push(toLua(L, rec))
	return 1
}
