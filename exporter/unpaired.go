package exporter

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
)

// unpairedStructure refuses a SQL Server source whose exported structure
// (principals, categories, rooms, add-ins) holds nvarchar text with a
// UTF-16 surrogate without its pair: go-mssqldb reads it as U+FFFD, and an
// archive carries text exactly. It runs before anything is written, and
// names the rows by table and key; rows the export leaves out (another
// category's rooms, principals of a type not archived) do not refuse it.
//
// With opts.ReplaceUnpairedSurrogates it does not refuse: each exported
// value is named in a warning and counted in res.Replaced (the text
// already holds U+FFFD, as the driver read it).
func (src *source) unpairedStructure(ctx context.Context, opts Options, res *Result) error {
	rows, err := src.store.UnpairedStructureText(ctx)
	if err != nil || len(rows) == 0 {
		return err
	}
	nodes, prins, addins := map[int64]bool{}, map[int64]bool{}, map[string]bool{}
	for _, c := range src.cats {
		nodes[int64(c.ID)] = true
	}
	for _, r := range src.rooms {
		nodes[int64(r.ID)] = true
	}
	for _, p := range src.prins {
		prins[int64(p.ID)] = true
	}
	for _, a := range src.addins {
		addins[strings.ToLower(a.ID)] = true
	}
	var named []string
	n := 0
	for _, r := range rows {
		var exported bool
		switch r.Table {
		case "tblNode":
			exported = nodes[r.ID]
		case "tblPrincipal":
			exported = prins[r.ID]
		case "tblSiopWhiteList":
			exported = addins[strings.ToLower(r.GUID)]
		}
		if !exported {
			continue
		}
		if opts.ReplaceUnpairedSurrogates {
			res.replaced().Structure++
			res.warn(KindReplacedSurrogate, r.String()+" exported with U+FFFD in place of a UTF-16 surrogate without its pair")
			continue
		}
		if n++; len(named) < 10 {
			named = append(named, r.String())
		}
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("the export refuses %s: %s text with a UTF-16 surrogate that has no pair (not valid Unicode; values are not shown): %s: "+
		"the SQL Server driver reads such a character as U+FFFD and an archive carries text exactly, so nothing was written; "+
		"correct the rows after a backup (pcmig doctor --role source names them on its text line) and export again, "+
		"or export with --replace-unpaired-surrogates (estate export.replace_unpaired_surrogates, export.run's replace_unpaired_surrogates) to carry U+FFFD in their place, each value named in the export's warnings",
		src.store.Describe(), numtext.Count(n, "row holds", "rows hold"), numtext.Listed(named, n, "; "))
}

// replaced is r.Replaced, made when first needed.
func (r *Result) replaced() *archive.Replaced {
	if r.Replaced == nil {
		r.Replaced = &archive.Replaced{}
	}
	return r.Replaced
}
