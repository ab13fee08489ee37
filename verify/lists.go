package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// differ adds the differences of one object of one source.
type differ struct {
	c                        *comparison
	source, category, object string
	// merged: the source object went into an object the target had
	// (set by expect), which keeps its own entries.
	merged bool
}

// add adds a difference of a kind (the Diff constants).
func (d differ) add(kind, format string, args ...any) {
	d.c.res.Differences = append(d.c.res.Differences, Difference{Source: d.source, Category: d.category, Object: d.object,
		Text: d.object + ": " + fmt.Sprintf(format, args...), kind: kind})
}

// field adds a difference when a setting differs.
func (d differ) field(name, src, tgt string) {
	if src == tgt {
		return
	}
	if name == "description" {
		d.add(DiffSetting, "%s %q in the source, %q in the target%s", name, src, tgt, codesApart(tgt, src))
		return
	}
	d.add(DiffSetting, "%s %s in the source, %s in the target", name, src, tgt)
}

// role is a principal's role on a node. The constants are in the
// alphabetical order of their names, so that roles sort as their names do.
type role uint8

const (
	roleAllowed role = iota
	roleCreator
	roleDenied
	roleManager
	roleMember
	rolePresenter
	roleBits = 3 // a role fits in this many bits of an entry key
)

// opposite is the other scope entry of a principal on a category: allowed
// for denied and denied for allowed (a principal is either allowed or
// denied on a node, never both: tblScopePrincipal's key); ok is false for
// the other roles.
func (r role) opposite() (role, bool) {
	switch r {
	case roleAllowed:
		return roleDenied, true
	case roleDenied:
		return roleAllowed, true
	}
	return r, false
}

func (r role) String() string {
	switch r {
	case roleAllowed:
		return "allowed member"
	case roleCreator:
		return "creator"
	case roleDenied:
		return "denied member"
	case roleManager:
		return "manager"
	case roleMember:
		return "member"
	}
	return "presenter"
}

// roleIDs are one role's principals (prinIDs of one side).
type roleIDs struct {
	role role
	ids  []int32
}

// key is a list entry: an interned URI and a role, sorting by URI index
// then role.
type key uint32

func entry(uri int32, r role) key { return key(uint32(uri)<<roleBits | uint32(r)) }
func (k key) uri() int32          { return int32(k >> roleBits) }
func (k key) role() role          { return role(k & (1<<roleBits - 1)) }

// wanted is an entry a source object has, with that object.
type wanted struct {
	k   key
	obj int32 // index in comparison.objs
}

// nodeLists is what one target node's lists must hold, gathered from every
// source object matched with it. Principals are interned URIs, entries
// flat slices: a few bytes per role row.
type nodeLists struct {
	first int32 // the first source object matched with the node
	// exact: a source's import created the node, so an entry no source
	// has is a difference; nodes the target had keep their own entries.
	exact  bool
	want   []wanted
	have   []key
	extras []key // entries the migration may add (estate creators)
	order  int
}

// intern returns the index of a URI as compared (uris.of) in c.uris.
func (c *comparison) intern(uri string) int32 {
	if id, ok := c.uid[uri]; ok {
		return id
	}
	id := int32(len(c.uris))
	c.uid[uri] = id
	c.uris = append(c.uris, uri)
	return id
}

// expect records a source object's lists (principals of side s) for the
// target node id; have are the node's lists in the target, extras the
// URIs the migration may add, by role.
// b are the allowed members minus denied members the import bounded the
// node's roles by (nil: none known); a source role the target lacks whose
// principal is outside them is not carried (within.go).
func (c *comparison) expect(ctx context.Context, id int32, b *bounds, d differ, exact bool, s *side, want, have []roleIDs, extras map[role][]string) error {
	obj := int32(len(c.objs))
	d.merged = !exact
	c.objs = append(c.objs, d)
	nl := c.lists[id]
	if nl == nil {
		nl = &nodeLists{first: obj, order: len(c.lists)}
		for _, l := range have {
			for _, p := range l.ids {
				nl.have = append(nl.have, entry(c.intern(c.t.who(p)), l.role))
			}
		}
		slices.Sort(nl.have)
		c.lists[id] = nl
	}
	nl.exact = nl.exact || exact
	var gone map[role][]int32 // the source's entries of prinIDs not in its tblPrincipal
	for _, l := range want {
		for _, p := range l.ids {
			if _, ok := s.uri[p]; !ok && s != c.t {
				if gone == nil {
					gone = map[role][]int32{}
				}
				gone[l.role] = append(gone[l.role], p)
				continue
			}
			w := wanted{entry(c.intern(s.who(p)), l.role), obj}
			nl.want = append(nl.want, w)
			if _, ok := slices.BinarySearch(nl.have, w.k); ok || b == nil || !l.role.bounded() {
				continue
			}
			out, err := c.outside(ctx, s, p, b)
			if err != nil {
				return err
			}
			if out {
				c.notCarried[w] = b.name
			}
		}
	}
	c.notePrincipalsGone(d, gone)
	for r, uris := range extras {
		for _, u := range uris {
			nl.extras = append(nl.extras, entry(c.intern(u), r))
		}
	}
	return nil
}

// notePrincipalsGone notes a source object's role and scope entries whose
// prinIDs are not in the source's tblPrincipal (rows left by removed
// principals): the export leaves them out with a warning, since an archive
// names principals by GUID, so no migration carries them and they are not
// compared.
func (c *comparison) notePrincipalsGone(d differ, gone map[role][]int32) {
	if len(gone) == 0 {
		return
	}
	roles := make([]role, 0, len(gone))
	var ids []int32
	for r, l := range gone {
		roles = append(roles, r)
		ids = append(ids, l...)
	}
	slices.Sort(roles)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	what := make([]string, len(roles))
	for i, r := range roles {
		what[i] = countOf(int64(len(gone[r])), r.String(), r.String()+"s")
	}
	list := make([]string, 0, len(ids))
	for _, id := range ids {
		list = append(list, itoa(int64(id)))
	}
	c.res.noteOf(NoteUnknownPrinIDs, "%s: %s: %s of prinIDs not in the source's tblPrincipal (%s): no export carries them (an archive names principals by GUID); not compared",
		d.source, d.object, numtext.And(what), numtext.First(list, 5))
}

// roleLists adds the list differences of every matched node: entries a
// source has that the target lacks, entries of created nodes no source
// has, and, for one principal, a role in the source that is another role
// in the target.
func (c *comparison) roleLists() {
	nodes := make([]*nodeLists, 0, len(c.lists))
	for _, nl := range c.lists {
		nodes = append(nodes, nl)
	}
	slices.SortFunc(nodes, func(a, b *nodeLists) int { return a.order - b.order })
	byURI := func(a, b int32) int { return strings.Compare(c.uris[a], c.uris[b]) }
	for _, nl := range nodes {
		// Each entry once, with the first source object that has it.
		slices.SortStableFunc(nl.want, func(a, b wanted) int { return cmpKey(a.k, b.k) })
		nl.want = slices.CompactFunc(nl.want, func(a, b wanted) bool { return a.k == b.k })
		slices.Sort(nl.have)
		nl.have = slices.Compact(nl.have)
		slices.Sort(nl.extras)
		missing := map[int32][]wanted{} // URI -> its entries missing from the target
		var missingURIs []int32
		for _, w := range nl.want {
			if cat, ok := c.notCarried[w]; ok {
				c.notCarry(w, cat)
				continue
			}
			if _, ok := slices.BinarySearch(nl.have, w.k); !ok {
				if c.keptByMerge(nl, w) {
					continue
				}
				if missing[w.k.uri()] == nil {
					missingURIs = append(missingURIs, w.k.uri())
				}
				missing[w.k.uri()] = append(missing[w.k.uri()], w)
			}
		}
		extra := map[int32][]role{}
		var extraURIs []int32
		if nl.exact {
			for _, k := range nl.have {
				_, wantedToo := slices.BinarySearchFunc(nl.want, k, func(w wanted, k key) int { return cmpKey(w.k, k) })
				if _, allowed := slices.BinarySearch(nl.extras, k); !wantedToo && !allowed {
					if extra[k.uri()] == nil {
						extraURIs = append(extraURIs, k.uri())
					}
					extra[k.uri()] = append(extra[k.uri()], k.role())
				}
			}
		}
		slices.SortFunc(missingURIs, byURI)
		slices.SortFunc(extraURIs, byURI)
		for _, u := range missingURIs {
			ws := missing[u] // in role order
			uri := c.uris[u]
			if other := extra[u]; len(other) > 0 {
				roles := make([]role, len(ws))
				for i, w := range ws {
					roles[i] = w.k.role()
				}
				c.objs[ws[0].obj].add(DiffRoleOther, "%s is %s in the source, %s in the target", uri, article(roles), article(other))
				delete(extra, u)
				continue
			}
			for _, w := range ws {
				c.objs[w.obj].add(DiffRoleMissing, "%s %s is in the source, not in the target", w.k.role(), uri)
			}
		}
		first := c.objs[nl.first]
		for _, u := range extraURIs {
			for _, r := range extra[u] {
				if r == roleCreator {
					// Step 6 of the procedure adds creators on purpose.
					c.res.noteOf(NoteCreatorAdded, "%s: creator %s is in the target, not in the source (added after the import)", first.object, c.uris[u])
					continue
				}
				first.add(DiffRoleExtra, "%s %s is in the target, not in the source", r, c.uris[u])
			}
		}
	}
}

// keptByMerge reports (and notes) a source's allowed or denied member
// missing from a category it was merged into because the target holds the
// other entry for that principal: a principal is either allowed or denied
// on a node, and the import keeps the target's entry when it merges
// (it warns: "denied in the archive but allowed in the target; the
// target's entry is kept"), so that is what was meant to arrive.
func (c *comparison) keptByMerge(nl *nodeLists, w wanted) bool {
	d := c.objs[w.obj]
	other, ok := w.k.role().opposite()
	if !d.merged || !ok {
		return false
	}
	if _, kept := slices.BinarySearch(nl.have, entry(w.k.uri(), other)); !kept {
		return false
	}
	c.res.noteOf(NoteEntryKept, "%s: %s: %s %s in the source is %s in the target, whose entry the import keeps when it merges", d.source, d.object, w.k.role(), c.uris[w.k.uri()],
		article([]role{other}))
	return true
}

func cmpKey(a, b key) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// article joins roles as "a member and a manager".
func article(roles []role) string {
	out := make([]string, len(roles))
	for i, role := range roles {
		r := role.String()
		a := "a"
		if strings.ContainsRune("aeiou", rune(r[0])) {
			a = "an"
		}
		out[i] = a + " " + r
	}
	return strings.Join(out, " and ")
}

// extras notes the target's categories and rooms that no source object
// was matched with, and fills in the per-object figures.
func (c *comparison) extras() {
	var cats, rooms []string
	for _, tc := range c.t.cats {
		if !c.matched[tc.ID] {
			cats = append(cats, fmt.Sprintf("%q", tc.Name))
		}
	}
	for _, tr := range c.t.rooms {
		if !c.matched[tr.ID] {
			rooms = append(rooms, fmt.Sprintf("%q", tr.Name))
		}
	}
	c.res.Totals.TargetObjects = Objects{Categories: len(c.t.cats) - len(cats), Rooms: len(c.t.rooms) - len(rooms)}
	if len(cats) > 0 {
		c.res.note("the target holds %s that no compared source category matches: %s", countOf(int64(len(cats)), "category", "categories"), numtext.First(cats, 5))
	}
	if len(rooms) > 0 {
		c.res.note("the target holds %s that no compared source room matches: %s", countOf(int64(len(rooms)), "room", "rooms"), numtext.First(rooms, 5))
	}
	for i := range c.res.Categories {
		f := &c.res.Categories[i]
		f.Differences = 0
		for _, d := range c.res.Differences {
			if d.Source == f.Source && d.Category == f.Name {
				f.Differences++
			}
		}
	}
	for i := range c.res.Rooms {
		f := &c.res.Rooms[i]
		f.Equal = f.TargetName != ""
		for _, d := range c.res.Differences {
			if d.Source == f.Source && d.Object == "room "+f.Name {
				f.Equal = false
				break
			}
		}
	}
}

// codesApart says where two texts that differ part, in code points, when
// a character there is not printable ASCII: a look-alike letter of
// another script, a decomposed accent, a no-break space may print as the
// other text does, and the two quoted texts alone would not show the
// difference. The part between their common beginning and end is named
// when it is short on both sides (4 code points at most), else the first
// code point that differs. "" when what is named is printable ASCII on
// both sides (quoted, it shows).
func codesApart(target, want string) string {
	a, b := []rune(target), []rune(want)
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	j := 0
	for j < len(a)-i && j < len(b)-i && a[len(a)-1-j] == b[len(b)-1-j] {
		j++
	}
	x, y := a[i:len(a)-j], b[i:len(b)-j]
	at := ""
	if len(x) > 4 || len(y) > 4 {
		x, y = x[:min(len(x), 1)], y[:min(len(y), 1)]
		at = fmt.Sprintf(" at character %d", i+1)
	}
	plain := true
	for _, r := range append(slices.Clone(x), y...) {
		if r > 0x7e || r < 0x20 {
			plain = false
		}
	}
	if plain {
		return ""
	}
	codes := func(rs []rune) string {
		if len(rs) == 0 {
			return "nothing"
		}
		parts := make([]string, len(rs))
		for k, r := range rs {
			parts[k] = fmt.Sprintf("U+%04X", r)
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprintf(" (the target has %s where %s is expected%s)", codes(x), codes(y), at)
}
