package verify

import (
	"fmt"
	"slices"
	"strings"
)

// differ adds the differences of one object of one source.
type differ struct {
	c                        *comparison
	source, category, object string
}

func (d differ) add(format string, args ...any) {
	d.c.res.Differences = append(d.c.res.Differences, Difference{Source: d.source, Category: d.category, Object: d.object,
		Text: d.object + ": " + fmt.Sprintf(format, args...)})
}

// field adds a difference when a setting differs.
func (d differ) field(name, src, tgt string) {
	if src == tgt {
		return
	}
	if name == "description" {
		d.add("%s %q in the source, %q in the target", name, src, tgt)
		return
	}
	d.add("%s %s in the source, %s in the target", name, src, tgt)
}

// roleLists are an object's principal lists by role, as lower-case URIs.
type roleLists map[string][]string

// nodeLists is what one target node's lists must hold, gathered from every
// source object matched with it.
type nodeLists struct {
	first differ // the first source object matched with the node
	// exact: a source's import created the node, so an entry no source
	// has is a difference; nodes the target had keep their own entries.
	exact  bool
	want   map[string]map[string]differ // role -> URI -> the source object that has it
	have   map[string]map[string]bool
	extras map[string]map[string]bool // entries the migration may add (estate creators)
	order  int
}

// expect records a source object's lists for the target node id.
func (c *comparison) expect(id int32, d differ, exact bool, want, have roleLists, extras map[string][]string) {
	nl := c.lists[id]
	if nl == nil {
		nl = &nodeLists{first: d, want: map[string]map[string]differ{}, have: map[string]map[string]bool{},
			extras: map[string]map[string]bool{}, order: len(c.lists)}
		for role, uris := range have {
			nl.have[role] = set(uris)
		}
		c.lists[id] = nl
	}
	nl.exact = nl.exact || exact
	for role, uris := range want {
		if nl.want[role] == nil {
			nl.want[role] = map[string]differ{}
		}
		for _, u := range uris {
			if _, ok := nl.want[role][u]; !ok {
				nl.want[role][u] = d
			}
		}
	}
	for role, uris := range extras {
		if nl.extras[role] == nil {
			nl.extras[role] = map[string]bool{}
		}
		for _, u := range uris {
			nl.extras[role][u] = true
		}
	}
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
	for _, nl := range nodes {
		missing := map[string][]string{} // URI -> roles
		var missingURIs []string
		for role, want := range nl.want {
			for u := range want {
				if !nl.have[role][u] {
					if missing[u] == nil {
						missingURIs = append(missingURIs, u)
					}
					missing[u] = append(missing[u], role)
				}
			}
		}
		extra := map[string][]string{}
		var extraURIs []string
		if nl.exact {
			for role, have := range nl.have {
				for u := range have {
					if _, ok := nl.want[role][u]; !ok && !nl.extras[role][u] {
						if extra[u] == nil {
							extraURIs = append(extraURIs, u)
						}
						extra[u] = append(extra[u], role)
					}
				}
			}
		}
		slices.Sort(missingURIs)
		slices.Sort(extraURIs)
		for _, u := range missingURIs {
			roles := missing[u]
			slices.Sort(roles)
			d := nl.want[roles[0]][u]
			if other := extra[u]; len(other) > 0 {
				slices.Sort(other)
				d.add("%s is %s in the source, %s in the target", u, article(roles), article(other))
				delete(extra, u)
				continue
			}
			for _, role := range roles {
				nl.want[role][u].add("%s %s is in the source, not in the target", role, u)
			}
		}
		for _, u := range extraURIs {
			for _, role := range extra[u] {
				if role == "creator" {
					// Step 6 of the procedure adds creators on purpose.
					c.res.note("%s: creator %s is in the target, not in the source (added after the import)", nl.first.object, u)
					continue
				}
				nl.first.add("%s %s is in the target, not in the source", role, u)
			}
		}
	}
}

// article joins roles as "a member and a manager".
func article(roles []string) string {
	out := make([]string, len(roles))
	for i, r := range roles {
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
	if len(cats) > 0 {
		c.res.note("the target holds %d categories that no compared source category matches: %s", len(cats), firstFew(cats))
	}
	if len(rooms) > 0 {
		c.res.note("the target holds %d rooms that no compared source room matches: %s", len(rooms), firstFew(rooms))
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

func firstFew(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

func set(l []string) map[string]bool {
	out := make(map[string]bool, len(l))
	for _, s := range l {
		out[s] = true
	}
	return out
}
