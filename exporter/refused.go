package exporter

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

// blankName is a name of spaces only, which SQL Server compares as an
// empty name (it ignores trailing spaces): every import refuses it.
func blankName(name string) bool { return name != "" && strings.TrimRight(name, " ") == "" }

// blankWhy says why a name of spaces only is refused.
const blankWhy = " (SQL Server compares it as an empty name, and every import refuses it)"

// refusedRows names the source rows an archive cannot hold (docs/
// archive-format.md §4), before the archive is created, by table and ID
// with the value that is wrong: a principal whose type is not User,
// Group, Folder, DC or SystemUser (tblPrincipalType documents Any,
// AnyUser and AnyGroup as never stored; other IDs are undocumented) or
// whose URI is empty or holds a control character or whose prinDisabled is not one of the documented
// states (0 active, 1 disabled, 2 deleted), two principals of one GUID,
// an exported category, room or add-in without a name, and an exported
// room whose siopID names no add-in (the documented foreign key, which an
// embedded database does not enforce: the room would arrive without it). The archive writer would stop
// at the first one, naming only a GUID.
func (src *source) refusedRows() error {
	var bad []string
	guids := map[string][]int32{}
	for _, p := range src.prins {
		what := fmt.Sprintf("tblPrincipal prinID %d", p.ID)
		if p.URI != "" {
			what += fmt.Sprintf(" (%s)", p.URI)
		}
		switch {
		case !archivable(p.Type):
			bad = append(bad, fmt.Sprintf("%s has prinTypeID %d (%s): an archive holds User, Group, Folder, DC and SystemUser principals only", what, int16(p.Type), p.Type))
		case p.URI == "":
			bad = append(bad, fmt.Sprintf("%s has an empty prinUri", what))
		default:
			// Every import refuses it (no SIP address holds one, and SQL
			// Server's collations may match it to the address without it):
			// found here, at step 1, not at step 2.
			if r, ok := textwidth.FirstControl(p.URI); ok {
				what = fmt.Sprintf("tblPrincipal prinID %d (%q)", p.ID, p.URI) // escaped: the character is not printed
				bad = append(bad, fmt.Sprintf("%s has a prinUri holding a control character (%U), which no SIP address has and every import refuses: correct the address in Active Directory (msRTCSIP-PrimaryUserAddress) and let the pool's user replication update the principal", what, r))
			}
		}
		if p.State != pchat.Active && p.State != pchat.Disabled && p.State != pchat.Deleted {
			bad = append(bad, fmt.Sprintf("%s has prinDisabled %d: the documented states are 0 (active), 1 (disabled) and 2 (deleted)", what, int16(p.State)))
		}
		guids[p.GUID] = append(guids[p.GUID], p.ID)
	}
	var twice []string
	for g, ids := range guids {
		if len(ids) > 1 {
			twice = append(twice, fmt.Sprintf("tblPrincipal prinIDs %s share prinGuid %s", joinIDs(ids), g))
		}
	}
	sort.Strings(twice)
	bad = append(bad, twice...)
	for _, c := range src.cats {
		if c.Name == "" {
			bad = append(bad, fmt.Sprintf("tblNode nodeID %d, a category, has an empty nodeName", c.ID))
		} else if blankName(c.Name) {
			bad = append(bad, fmt.Sprintf("tblNode nodeID %d, a category, has a nodeName of spaces only%s", c.ID, blankWhy))
		}
	}
	for _, r := range src.rooms {
		if r.Name == "" {
			bad = append(bad, fmt.Sprintf("tblNode nodeID %d, a room of category %q, has an empty nodeName", r.ID, src.catName[r.CategoryID]))
		} else if blankName(r.Name) {
			bad = append(bad, fmt.Sprintf("tblNode nodeID %d, a room of category %q, has a nodeName of spaces only%s", r.ID, src.catName[r.CategoryID], blankWhy))
		}
		if _, ok := src.addinName[r.AddinID]; r.AddinID != "" && !ok {
			bad = append(bad, fmt.Sprintf("tblNode nodeID %d, room %q, has siopID %s, which is not in tblSiopWhiteList (an archive names a room's add-in by its name)", r.ID, r.Name, r.AddinID))
		}
	}
	for _, a := range src.addins {
		if a.Name == "" {
			bad = append(bad, fmt.Sprintf("tblSiopWhiteList siopID %s has an empty siopName", a.ID))
		} else if blankName(a.Name) {
			bad = append(bad, fmt.Sprintf("tblSiopWhiteList siopID %s has a siopName of spaces only%s", a.ID, blankWhy))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	more := ""
	if len(bad) > 10 {
		more = fmt.Sprintf("; and %d more", len(bad)-10)
		bad = bad[:10]
	}
	return fmt.Errorf("the export refuses %s: %s%s (nothing was written: correct the rows, after a backup, and export again)",
		src.store.Describe(), strings.Join(bad, "; "), more)
}

// unreadable refuses an embedded source whose integer or bit columns
// hold what pcmig cannot read as the documented type (SQLite keeps
// whatever it is given: store.UnreadableValues), naming the rows. It runs
// before anything is written on the tables other than tblChat (small,
// and a nodeType of 7 would silently leave a room out), and after a read
// failed (readErr) on all of them: the conversion error names a column,
// not the row. With no such row, it returns readErr. A refusal names the
// rows of every table, tblChat included.
func unreadable(ctx context.Context, s *store.Store, messages bool, readErr error) error {
	if ctx.Err() != nil {
		return readErr
	}
	rows, n, err := s.UnreadableValues(ctx, 10, messages)
	if err != nil {
		if readErr != nil {
			return readErr
		}
		return err
	}
	if n == 0 {
		return readErr
	}
	if !messages { // refused anyway: name the messages' rows too
		if all, m, err := s.UnreadableValues(ctx, 10, true); err == nil {
			rows, n = all, m
		}
	}
	return fmt.Errorf("the export refuses %s: %s not their column's documented type: %s (nothing was written: correct the rows, after a backup, and export again; `pcmig doctor` lists them)",
		s.Describe(), numtext.Count(n, "row holds a value", "rows hold values"), numtext.Listed(rows, n, "; "))
}

// archivable reports whether an archive holds principals of type t.
func archivable(t pchat.PrincipalType) bool {
	switch t.String() {
	case archive.PrincipalUser, archive.PrincipalGroup, archive.PrincipalFolder, archive.PrincipalDC, archive.PrincipalSystemUser:
		return true
	}
	return false
}

// joinIDs is "3, 7 and 9".
func joinIDs(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return numtext.And(s)
}

// sharedNames warns of the exported categories, and the exported rooms
// (across categories), that share one name as the source's database
// compares names (Store.NameKey: case, trailing spaces): category and
// room names are unique in a pool, and every import of an archive holding
// both refuses it, after this export (which may have disabled the rooms).
// The doctor's "names" line fails on them; the export carries them, as
// the pool holds them, and says so.
func (src *source) sharedNames(res *Result) {
	type named struct{ kind, name, where string }
	groups := map[string][]named{}
	var order []string
	add := func(kind, name, where string) {
		k := kind + "\x00" + src.store.NameKey(name)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], named{kind, name, where})
	}
	for _, c := range src.cats {
		add("category", c.Name, "")
	}
	for _, r := range src.rooms {
		add("room", r.Name, src.catName[r.CategoryID])
	}
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		names := make([]string, len(g))
		for i, n := range g {
			names[i] = fmt.Sprintf("%q", n.name)
			if n.kind == "room" {
				names[i] += fmt.Sprintf(" (in %q)", n.where)
			}
		}
		plural, cmdlet := "rooms", "Room"
		if g[0].kind == "category" {
			plural, cmdlet = "categories", "Category"
		}
		res.warn(KindSharedName, fmt.Sprintf("%s %s share one name as this database compares names (%s names are unique in a pool): every import of this archive refuses it before writing anything; rename all but one (Set-CsPersistentChat%s -Name) and export again",
			plural, numtext.And(names), g[0].kind, cmdlet))
	}
}

// unknownPrincipals names, one warning per node, the grants and scope
// entries of the exported categories and rooms whose prinID is not in
// tblPrincipal: an archive names principals by GUID, so they are left
// out (the documented foreign keys forbid them; a database that does
// not enforce its keys may hold them).
func (src *source) unknownPrincipals(res *Result) {
	check := func(object string, lists ...struct {
		kind string
		ids  []int32
	}) {
		var counts, who []string
		named := map[int32]bool{}
		for _, l := range lists {
			n := 0
			for _, id := range l.ids {
				if _, ok := src.guidOf[id]; !ok {
					n++
					if len(who) < 3 && !named[id] {
						who = append(who, fmt.Sprint(id))
					}
					named[id] = true
				}
			}
			switch {
			case n == 1:
				counts = append(counts, "1 "+l.kind)
			case n > 1:
				counts = append(counts, fmt.Sprintf("%d %ss", n, l.kind))
			}
		}
		if len(counts) > 0 {
			res.warn(KindUnknownPrincipals, fmt.Sprintf("%s: %s of prinIDs not in tblPrincipal (%s): not exported (an archive names principals by GUID)",
				object, strings.Join(counts, ", "), strings.Join(who, ", ")))
		}
	}
	type list = struct {
		kind string
		ids  []int32
	}
	for _, c := range src.cats {
		check(fmt.Sprintf("category %q", c.Name), list{"allowed member", c.AllowedMembers}, list{"denied member", c.DeniedMembers}, list{"creator", c.Creators})
		src.unknownAuthor(res, fmt.Sprintf("category %q", c.Name), c.AddedBy, c.UpdatedBy)
	}
	for _, r := range src.rooms {
		check(fmt.Sprintf("room %q", r.Name), list{"member", r.Members}, list{"manager", r.Managers}, list{"presenter", r.Presenters})
		src.unknownAuthor(res, fmt.Sprintf("room %q", r.Name), r.AddedBy, r.UpdatedBy)
	}
}

// unknownAuthor warns of an exported node whose nodeAddedBy or
// nodeUpdatedBy is not in tblPrincipal (the columns are NOT NULL and name
// a principal; a database that does not enforce its keys may hold one
// removed since): an archive names them by GUID, so the node carries ""
// (docs/archive-format.md), and the import credits the target's system
// user. Before, that change was made without a word.
func (src *source) unknownAuthor(res *Result, object string, addedBy, updatedBy int32) {
	var cols []string
	if _, ok := src.guidOf[addedBy]; !ok {
		cols = append(cols, fmt.Sprintf("nodeAddedBy %d", addedBy))
	}
	if _, ok := src.guidOf[updatedBy]; !ok {
		cols = append(cols, fmt.Sprintf("nodeUpdatedBy %d", updatedBy))
	}
	if len(cols) == 0 {
		return
	}
	res.warn(KindUnknownAuthor, fmt.Sprintf("%s: %s %s not in tblPrincipal: exported as \"\" (an archive names principals by GUID), so the import credits the target's system user (prinID 1)",
		object, numtext.And(cols), numtext.Noun(len(cols), "is a prinID", "are prinIDs")))
}
