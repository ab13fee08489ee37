package bindings

import (
	"errors"
	"io/fs"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/prinmatch"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// grantee is a principal named for a role grant: the target's principal
// (nil when it has none) and how results and warnings name it.
type grantee struct {
	label string
	pr    *pchat.Principal
}

// carriedCreators matches the source's principals with the target's by the
// one rule the import matches them by (internal/prinmatch), applied to the
// principals of the archive from was exported to (file, else its own
// archive or the estate's) when that archive was imported into dst (this
// run's import of it, or the import journal beside it), else to the
// source's principals as they are now, as verify does. It returns the
// grantee of a source principal: the target's principal it is
// matched with, or none, labelled by its URI (with its GUID where the
// target holds another principal of that address). A source principal not
// in the archive is the target's principal of its GUID, or none.
func (e *Env) carriedCreators(L *lua.LState, from estate.Pool, file string, dst *store.Store, sx, dx *prinIndex) func(*pchat.Principal) grantee {
	arc := e.importedPrincipals(L, from, file, dst)
	if arc == nil {
		for _, p := range byID(sx) {
			arc = append(arc, prinmatch.Of(*p))
		}
	}
	tprins := byID(dx)
	list := make([]pchat.Principal, len(tprins))
	for i, p := range tprins {
		list[i] = *p
	}
	t := prinmatch.NewTarget(list, dst.URIKey)
	matched := make(map[string]prinmatch.Match, len(arc))
	for i, m := range t.Match(arc) {
		matched[arc[i].GUID] = m
	}
	return func(sp *pchat.Principal) grantee {
		m, ok := matched[sp.GUID]
		if !ok {
			if tid, ok := t.ByGUID(sp.GUID); ok {
				m = prinmatch.Match{ID: tid, How: prinmatch.ByGUID}
			}
		}
		if m.How != prinmatch.None {
			if tp := dx.byID[m.ID]; tp != nil {
				return grantee{label: tp.URI, pr: tp}
			}
		}
		if dx.byURI[dx.uri(sp.URI)] != nil {
			return grantee{label: sp.URI + " (GUID " + sp.GUID + ")"}
		}
		return grantee{label: sp.URI}
	}
}

// importedPrincipals are the principals of the archive from was exported
// to (file, else from's own archive, else the estate's), when an import of
// it into dst is known: this run's (a dry run's, kept in memory) or the
// import journal beside it. nil when there is none: no such archive, an
// archive of another pool, or one never imported into dst.
func (e *Env) importedPrincipals(L *lua.LState, from estate.Pool, file string, dst *store.Store) []prinmatch.Principal {
	if file == "" {
		file = from.Archive
	}
	if file == "" && e.Estate != nil {
		file = e.Estate.Archive
	}
	if file == "" {
		return nil
	}
	file = e.file(L, file)
	r, err := archive.Open(e.input(file))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	check(L, err)
	defer r.Close()
	man := r.Manifest()
	if !strings.EqualFold(man.SourcePool, from.Pool) {
		return nil
	}
	e.mu.Lock()
	imported := e.imports[file] != nil
	e.mu.Unlock()
	if !imported {
		poolID, err := dst.PoolID(L.Context())
		check(L, err)
		rec, _, err := importer.FindRecord(e.input(file), man, poolID, dst)
		check(L, err)
		if rec == nil {
			return nil
		}
	}
	arc := []prinmatch.Principal{}
	check(L, r.Principals(func(p archive.Principal) error {
		arc = append(arc, prinmatch.OfArchive(p))
		return nil
	}))
	return arc
}

// byID is a pool's principals in prinID order.
func byID(x *prinIndex) []*pchat.Principal {
	out := make([]*pchat.Principal, 0, len(x.byID))
	for _, p := range x.byID {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
