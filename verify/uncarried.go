package verify

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/store"
)

// uncarriedNote notes each compared source node that holds role grants or
// allowed/denied entries an archive has no place for
// (store.UncarriedAccess: members, managers or presenters granted on a
// category itself, a room's creators or allowed and denied members, other
// role types, entries on the root node): the export left them behind and
// said so, the import never saw them, so they are not in the target by
// pcmig's doing and are not compared. A reconciliation that said nothing
// of them would pass access that did not arrive in silence. The same
// note in a dry run, which reads the same source. One query of the
// source, only when the export was meant to carry categories.
func (c *comparison) uncarriedNote(ctx context.Context, label string, s *side, m *meant) error {
	if levelRank(m.level) < levelRank(archive.LevelCategory) {
		return nil
	}
	entries, err := s.store.UncarriedAccess(ctx)
	if err != nil || len(entries) == 0 {
		return err
	}
	want := map[string]bool{}
	for _, name := range c.opts.Scope {
		want[s.store.NameKey(name)] = true
	}
	object := map[int32]string{}
	onCategory := map[int32]bool{}
	if m.scope == nil && len(want) == 0 {
		object[s.store.RootID()] = "root node"
	}
	for i := range s.cats {
		cat := &s.cats[i]
		key := s.store.NameKey(cat.Name)
		if (m.scope != nil && !m.scope[key]) || (len(want) > 0 && !want[key]) {
			continue
		}
		object[cat.ID] = fmt.Sprintf("category %q", cat.Name)
		onCategory[cat.ID] = true
	}
	if levelRank(m.level) >= levelRank(archive.LevelRoomDirectory) {
		for i := range s.rooms {
			r := &s.rooms[i]
			if _, ok := object[r.CategoryID]; ok && onCategory[r.CategoryID] {
				object[r.ID] = fmt.Sprintf("room %q", r.Name)
			}
		}
	}
	store.EachNodeAccess(entries, func(node int32, run []store.AccessEntry) {
		if name, ok := object[node]; ok {
			counts, who := store.DescribeAccess(run, s.uri, onCategory[node] && node != s.store.RootID())
			c.res.uncarried += int64(len(run))
			c.res.uncarriedNodes++
			c.res.noteOf(NoteUncarried, "%s: %s: %s: not carried (%s; the export leaves them behind and says so), so not compared: %s",
				label, name, counts, store.UncarriedWhy, who)
		}
	})
	return nil
}
