package exporter

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/store"
)

// uncarried describes the role grants and scope entries of the exported
// nodes that an archive has no place for (store.UncarriedAccess), one
// warning per node: members, managers or presenters granted on a category
// itself, a room's creators or allowed and denied members, other role
// types, entries on the root node (named when the export is not scoped);
// the exported categories that are not under the root (inside another
// node, without a parent, or their own parent), saying where each was;
// the exported categories whose invitations, file upload or chat
// history column is NULL, which an archive carries as off; and the
// exported rooms whose logged or filePost holds a value (a category's
// settings), which an archive has no place for. Each is a warning of its
// kind in res (the console shows the first few of each kind).
func (src *source) uncarried(ctx context.Context, s *store.Store, opts Options, res *Result) error {
	if opts.Level < Category {
		return nil
	}
	nested, err := s.NestedCategories(ctx)
	if err != nil {
		return err
	}
	parents, err := s.CategoryParents(ctx) // NULL reads as 0, as does a parentID of 0 (which nested holds)
	if err != nil {
		return err
	}
	for _, c := range src.cats {
		parent, ok := nested[c.ID]
		in, listed := parents[c.ID]
		var where string
		switch {
		case !ok && listed && in == 0:
			where = "has no parent (parentID NULL)"
		case !ok:
			continue
		case parent == c.ID:
			where = "is its own parent"
		default:
			where = "is inside " + src.node(parent, opts.Level >= RoomDirectory)
		}
		res.warn(KindNotUnderRoot, fmt.Sprintf("category %q %s, not under the root (Persistent Chat has one level of categories): exported as a top-level category", c.Name, where))
	}
	nulls, err := s.CategoryNullSettings(ctx)
	if err != nil {
		return err
	}
	exported := make(map[int32]bool, len(src.cats))
	for _, c := range src.cats {
		exported[c.ID] = true
	}
	for _, c := range nulls {
		if exported[c.ID] {
			res.warn(KindNullSettings, fmt.Sprintf("category %q: %s NULL, which the reference documents as 1 (on) or 0 (off) on a category, not what NULL means there: exported as off, so the target's category gets 0 (check it with Get-CsPersistentChatCategory after the import)",
				c.Name, c.Describe()+" "+numtext.Noun(len(c.Settings), "is", "are")))
		}
	}
	disabled, err := s.CategoriesDisabled(ctx)
	if err != nil {
		return err
	}
	for _, c := range disabled {
		if exported[c.ID] {
			res.warn(KindCategoryDisabled, fmt.Sprintf("category %q: disabled is 1, which the reference documents as always 0 for a category: not exported (an archive has no place for it), the target's category gets 0", c.Name))
		}
	}
	if opts.Level >= RoomDirectory {
		settings, err := s.RoomCategorySettings(ctx)
		if err != nil {
			return err
		}
		exported := make(map[int32]bool, len(src.rooms))
		for _, r := range src.rooms {
			exported[r.ID] = true
		}
		for _, r := range settings {
			if exported[r.ID] {
				res.warn(KindRoomSettings, fmt.Sprintf("room %q: %s set, which the reference documents as NULL on a room (they are a category's settings): not exported (an archive has no place for them), the target's room gets NULL",
					r.Name, r.Describe()+" "+numtext.Noun(len(r.Settings), "is", "are")))
			}
		}
	}
	entries, err := s.UncarriedAccess(ctx)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	object := map[int32]string{}
	if len(opts.Scope) == 0 {
		object[s.RootID()] = "root node"
	}
	for id, name := range src.catName {
		object[id] = fmt.Sprintf("category %q", name)
	}
	for _, r := range src.rooms {
		object[r.ID] = fmt.Sprintf("room %q", r.Name)
	}
	uri := make(map[int32]string, len(src.prins))
	for _, p := range src.prins {
		uri[p.ID] = p.URI
	}
	store.EachNodeAccess(entries, func(node int32, run []store.AccessEntry) {
		if name, ok := object[node]; ok {
			res.warn(KindUncarriedAccess, describeUncarried(name, run, uri, node != s.RootID() && strings.HasPrefix(name, "category ")))
		}
	})
	return nil
}

// node names a category's parent node: a category, a room (when the
// rooms were read), or a node that does not exist.
func (src *source) node(id int32, roomsRead bool) string {
	if name, ok := src.allCats[id]; ok {
		return fmt.Sprintf("category %q", name)
	}
	if name, ok := src.allRooms[id]; ok {
		return fmt.Sprintf("room %q", name)
	}
	if roomsRead {
		return fmt.Sprintf("node %d, which does not exist", id)
	}
	return fmt.Sprintf("node %d, which is not a category", id)
}

// describeUncarried is one node's warning: the entries counted by kind (in
// the order given), then up to three principals.
func describeUncarried(object string, entries []store.AccessEntry, uri map[int32]string, onCategory bool) string {
	counts, who := store.DescribeAccess(entries, uri, onCategory)
	return fmt.Sprintf("%s: %s: not exported (%s): %s", object, counts, store.UncarriedWhy, who)
}
