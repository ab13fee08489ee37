package estate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pcmig/pcmig/store"
)

// Fact is one thing a run of the estate works on: a name ("target
// database") and its description ("sqlite:target-2019.db").
type Fact struct {
	Name, Value string
}

// Subject describes what a run of the estate works on, for the run
// journal: a resumed run refuses to go on when any of it changed since the
// run it resumes (docs/lua-runtime.md). It is the estate's kind and site,
// its documents (topology, directory, pool settings, archive) and for each
// pool its FQDN, registrar, database, the pool ID in that database's
// tblConfig (poolIDs, from CheckPoolIDs; left out when unknown), file
// store and archive, and the export's scope when it has one. Nothing secret goes in: a database is its embedded
// file, or its server, instance, port and database name (no login, no
// password, no connection options). A path inside the estate's folder is
// described relative to it, so the estate folder may be moved or renamed
// between a run and its resume; a path outside it is absolute.
func (e *Estate) Subject(poolIDs map[string]string) []Fact {
	facts := []Fact{{"kind", e.Kind}, {"site", e.Site}}
	doc := func(name, path string) { facts = append(facts, Fact{name, e.described(path)}) }
	doc("topology", e.Topology)
	doc("directory", e.Directory)
	doc("pool settings", e.PoolSettings)
	doc("archive", e.Archive)
	for _, p := range e.pools() {
		facts = append(facts,
			Fact{p.role + " pool", orNone(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(p.Pool.Pool)), "."))},
			Fact{p.role + " registrar", orNone(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(p.Registrar)), "."))},
			Fact{p.role + " database", e.database(p.DB)},
			Fact{p.role + " pool ID", poolIDs[p.role]})
		files := e.described(p.FileStore)
		if IsShare(p.FileStore) {
			files = strings.ToLower(p.FileStore)
		}
		facts = append(facts, Fact{p.role + " file store", files})
		if p.role != "source" && p.role != "target" {
			doc(p.role+" archive", p.Archive)
		}
	}
	// The categories the export takes (export.scope, or the target's list
	// in routes), only when there is a scope: the import of a run killed
	// after it brought those categories, so a resume with another scope
	// (routes edited meanwhile) would leave them in this target while
	// another estate's run imports them into its own.
	if len(e.Export.Scope) > 0 {
		scope := slices.Clone(e.Export.Scope)
		slices.Sort(scope)
		facts = append(facts, Fact{"export scope", strings.Join(scope, ", ")})
	}
	// routes' successor, only with routes: a run that left the source's
	// endpoints for another pool (its settings step done) and resumed as
	// the successor would never move them, nor would the other estate.
	if e.Successor != "" {
		facts = append(facts, Fact{"routes successor", e.Successor})
	}
	return facts
}

// described is a path relative to the estate's folder when it is inside
// it, else absolute; "(none)" for no path.
func (e *Estate) described(path string) string {
	if path == "" {
		return "(none)"
	}
	abs := filepath.Clean(e.Path(path))
	if rel, err := filepath.Rel(e.Dir, abs); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return abs
}

// database describes a database without secrets: an embedded file as
// described, a SQL Server database by server, instance, port and name in
// the form SameDatabase compares.
func (e *Estate) database(d DB) string {
	cfg, err := d.Config(e.Dir, func(string) string { return "x" })
	if err != nil {
		return "(not readable)"
	}
	kind, err := cfg.Kind()
	switch {
	case err != nil:
		return "(not readable)"
	case kind == "sqlite":
		return "sqlite:" + e.described(cfg.SQLitePath())
	}
	return describeServer(cfg)
}

// describeServer is a SQL Server database as serverOf compares it.
func describeServer(cfg store.Config) string {
	s := serverOf(cfg)
	name := s.host
	if s.instance != "" {
		name += `\` + s.instance
	}
	if s.port != "" {
		name += "," + s.port
	}
	return fmt.Sprintf("sqlserver %s database %s", name, s.database)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
