package verify

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/pchat"
)

// room compares one source room with its target room. It returns nil for
// a room the import skipped on purpose.
// b bound its roles, as the import bounded them (within.go).
func (c *comparison) room(ctx context.Context, label string, s *side, m *meant, cat, tc *pchat.Category, b *bounds, r *pchat.Room) (*RoomFigure, error) {
	o, known := m.outcome("room", r.GUID, r.Name)
	if known && o.Action == importer.ActSkip {
		_, named := c.t.roomByName[c.t.store.NameKey(r.Name)]
		if _, sameGUID := c.t.roomByGUID[r.GUID]; named || sameGUID {
			c.res.noteOf(NoteSkipped, "%s: room %s was skipped by the import (--on-conflict skip): the target's room of that name is its own; not compared", label, r.Name)
			return nil, nil
		}
		// The import skips a room only for a target room of its name (or
		// its own room with another history): with neither, the journal
		// does not describe this target.
		c.res.note("%s: room %s: the import journal says the import skipped it, but the target holds no room of that name: it is compared", label, r.Name)
		o, known = importer.Outcome{}, false
	}
	fig := RoomFigure{Source: label, Category: cat.Name, Name: r.Name, Action: o.Action}
	d := differ{c: c, source: label, category: cat.Name, object: "room " + r.Name}
	content := levelRank(m.level) >= levelRank(archive.LevelContent)
	if content {
		st := s.stats[r.ID]
		fig.SourceMessages = st.Messages
		if st.Messages > 0 {
			fig.First, fig.Last = pchat.TimeFromTicks(st.FirstTick), pchat.TimeFromTicks(st.LastTick)
		}
	}
	c.res.Totals.Source.Rooms++
	tr := counterpart(c, o, known, r.GUID, r.Name, c.t.roomByID, c.t.roomByGUID, c.t.roomByName)
	if tr == nil {
		if fig.SourceMessages > 0 {
			d.add(DiffRoomMissing, "in the source, not in the target (%s)", countOf(fig.SourceMessages, "message", "messages"))
		} else {
			d.add(DiffRoomMissing, "in the source, not in the target")
		}
		return c.addRoom(fig), nil
	}
	c.matched[tr.ID] = true
	c.res.Totals.Target.Rooms++
	fig.TargetName = tr.Name
	merged := c.isMerge(label, "room", r.Name, o, known, r.GUID, tr.GUID)
	if want := expectedName(o, known, r.Name); tr.Name != want && sameName(c, known, merged, tr.Name, want) {
		// Merged by name with no journal to say so: the target keeps its
		// own spelling of a name its database finds equal.
		c.res.noteOf(NoteMerged, "%s: room %s was merged into the target's room %q, a name the target's database finds equal", label, r.Name, tr.Name)
	} else if tr.Name != want {
		other, held := c.t.roomByName[c.t.store.NameKey(r.Name)]
		if !known && held && other != tr && renamedByImport(r.Name, tr.Name, r.GUID, tr.GUID) {
			c.res.noteOf(NoteRenamed, "%s: room %s is %q in the target: no import journal says so, but that is how the import renames an object whose name the target holds (--on-conflict rename)", label, r.Name, tr.Name)
		} else {
			d.add(DiffRoomNamed, "named %q in the target, %q expected%s", tr.Name, want, codesApart(tr.Name, want))
		}
	}
	if tr.CategoryID != tc.ID {
		where := fmt.Sprintf("node %d", tr.CategoryID)
		if x, ok := c.t.catByID[tr.CategoryID]; ok {
			where = fmt.Sprintf("%q", x.Name)
		}
		if merged {
			// A merge keeps the target's room where it is.
			c.res.noteOf(NoteMerged, "%s: room %s was merged into the target's room of that name, which is in category %s", label, r.Name, where)
		} else {
			d.add(DiffRoomCategory, "in category %s in the target, %q expected", where, tc.Name)
		}
	}
	// A room's invitations on under a category with them off are
	// exported as False (pchat.Invitations.Under).
	invitations := r.Invitations.Under(cat.Invitations)
	if invitations != r.Invitations {
		c.res.note("%s: room %s: invitations on in the source under category %q, whose invitations are off: exported as False, so False is expected", label, r.Name, cat.Name)
	}
	if merged {
		disabled := r.Disabled
		if a := m.archived(r.GUID); a != nil {
			disabled = a.disabled
		}
		var k kept
		k.text("description", r.Description, tr.Description)
		k.field("privacy", string(r.Privacy), string(tr.Privacy))
		k.field("type", string(r.Type), string(tr.Type))
		k.field("invitations", string(invitations), string(tr.Invitations))
		k.field("disabled", yesNo(disabled), yesNo(tr.Disabled))
		if sa, ta := s.addin(r.AddinID), c.t.addin(tr.AddinID); c.t.store.AddinKey(sa) != c.t.store.AddinKey(ta) {
			k.field("add-in", addinOrNone(sa), addinOrNone(ta))
		}
		k.note(c, label, "room", r.Name, tr.Name)
	}
	if !merged {
		disabled := r.Disabled
		if a := m.archived(r.GUID); a != nil {
			disabled = a.disabled // the export may have disabled the source room afterwards
		}
		d.field("description", r.Description, tr.Description)
		d.field("privacy", string(r.Privacy), string(tr.Privacy))
		d.field("type", string(r.Type), string(tr.Type))
		d.field("invitations", string(invitations), string(tr.Invitations))
		d.field("disabled", yesNo(disabled), yesNo(tr.Disabled))
		c.addin(label, d, s, r, tr)
	}
	// The roles are bounded by the category the room is in, as the import
	// bounds them: a merged room stays in its target category, whose
	// lists the server checks.
	if tr.CategoryID != tc.ID {
		b = c.otherCategory(tr.CategoryID, s)
	}
	if err := c.expect(ctx, tr.ID, b, d, !merged, s,
		[]roleIDs{{roleMember, r.Members}, {roleManager, r.Managers}, {rolePresenter, r.Presenters}},
		[]roleIDs{{roleMember, tr.Members}, {roleManager, tr.Managers}, {rolePresenter, tr.Presenters}}, nil); err != nil {
		return nil, err
	}
	if !content || c.opts.StructureOnly {
		return c.addRoom(fig), nil
	}
	// A room the import found by GUID from an earlier run holds whatever
	// that run and users since put in it: like a merged room, it is not
	// the source's history alone.
	created := !merged && !(known && o.Action == importer.ActExists)
	c.job(d, r.ID, tr.ID, c.targetRange(label, m, r, tr, created))
	return c.addRoom(fig), nil
}

// addin compares a room's add-in. The import matches add-ins by name, as
// the target's database compares names, and keeps the target's add-in of
// a name (a conflict it reports: "kept the target's add-in"); one it
// creates keeps the source's siopID. So a target add-in of the source's
// name and another siopID, whatever its URL and the case of its name, is
// what was meant to arrive: noted. One of the source's siopID (created by
// the import) must have the source's name and URL.
func (c *comparison) addin(label string, d differ, s *side, r, tr *pchat.Room) {
	sa, ta := s.addin(r.AddinID), c.t.addin(tr.AddinID)
	su, tu := s.addinURL[strings.ToLower(r.AddinID)], c.t.addinURL[strings.ToLower(tr.AddinID)]
	if sa != "" && ta != "" && !strings.EqualFold(r.AddinID, tr.AddinID) && c.t.store.AddinKey(sa) == c.t.store.AddinKey(ta) {
		if k := label + "\x00" + strings.ToLower(r.AddinID); (sa != ta || su != tu) && !c.addinNoted[k] {
			c.addinNoted[k] = true
			c.res.note("%s: add-in %s (URL %q) is the target's add-in %s (URL %q), which its rooms use (room %s first): the import keeps the target's add-in of a name it already holds",
				label, sa, su, ta, tu, r.Name)
		}
		return
	}
	d.field("add-in", orNone(sa), orNone(ta))
	if sa == ta && sa != "" && su != tu {
		d.add(DiffAddin, "add-in %s has URL %q in the target, %q in the source", ta, tu, su)
	}
}

// poolAddins compares the add-ins that no source room uses (those rooms
// use are compared with each room, addin): the export takes every add-in
// of the pool, the archive's (the source's without an archive), and the
// import creates each the target lacks by name, under the source's siopID,
// with its name and URL. A target add-in of that siopID must have them; one
// of the name and another siopID is the target's own, which the import
// keeps (noted when its URL differs); none is a difference.
func (c *comparison) poolAddins(label string, s *side, m *meant) {
	type addin struct{ id, name, url string }
	var list []addin
	if m.addins != nil {
		for _, a := range m.addins {
			list = append(list, addin{a.GUID, a.Name, a.URL})
		}
	} else {
		for id, name := range s.addinName {
			list = append(list, addin{id, name, s.addinURL[id]})
		}
		slices.SortFunc(list, func(a, b addin) int { return strings.Compare(a.name, b.name) })
	}
	used := map[string]bool{}
	for i := range s.rooms {
		used[strings.ToLower(s.rooms[i].AddinID)] = true
	}
	byKey := map[string]string{} // the target's add-ins by name key -> siopID
	for id, name := range c.t.addinName {
		byKey[c.t.store.AddinKey(name)] = id
	}
	for _, a := range list {
		id := strings.ToLower(a.id)
		if used[id] {
			continue
		}
		d := differ{c: c, source: label, object: "add-in " + a.name}
		if name, ok := c.t.addinName[id]; ok && c.t.store.AddinKey(name) != c.t.store.AddinKey(a.name) {
			// The target's add-in of another name holds the source's
			// siopID: the import created the source's add-in under a new
			// siopID (it never reuses one the target holds), found by name.
			if tid, ok := byKey[c.t.store.AddinKey(a.name)]; ok && tid != id {
				if u := c.t.addinURL[tid]; u != a.url {
					d.add(DiffAddin, "URL %q in the target, %q in the source", u, a.url)
				}
				continue
			}
		}
		if name, ok := c.t.addinName[id]; ok {
			if name != a.name {
				d.add(DiffAddin, "named %q in the target", name)
			}
			if u := c.t.addinURL[id]; u != a.url {
				d.add(DiffAddin, "URL %q in the target, %q in the source", u, a.url)
			}
			continue
		}
		if tid, ok := byKey[c.t.store.AddinKey(a.name)]; ok {
			k := label + "\x00" + id
			if tu := c.t.addinURL[tid]; tu != a.url && !c.addinNoted[k] {
				c.addinNoted[k] = true
				c.res.note("%s: add-in %s (URL %q) is the target's add-in %s (URL %q): the import keeps the target's add-in of a name it already holds",
					label, a.name, a.url, c.t.addinName[tid], tu)
			}
			continue
		}
		d.add(DiffAddin, "in the source (URL %q), not in the target", a.url)
	}
}

// addRoom records a room's figures.
func (c *comparison) addRoom(fig RoomFigure) *RoomFigure {
	c.res.Totals.Source.Messages += fig.SourceMessages
	c.res.Totals.Target.Messages += fig.TargetMessages
	c.res.Rooms = append(c.res.Rooms, fig)
	return &fig
}

// targetRange is the part of the target room's history that holds the
// source's messages: what the import journal recorded, or the whole
// history of a room the import created (compared in order; without a
// journal range, as a multiset if that differs). A room the target had
// before (created is false: merged into, or found from an
// earlier run) without a journal range is compared as a multiset: the
// import looks each message up anywhere in the room and appends only those
// it does not find, after whatever the room holds by then (multiset.go).
func (c *comparison) targetRange(label string, m *meant, r, tr *pchat.Room, created bool) msgRange {
	if m.record != nil {
		if x, ok := m.record.Messages[r.GUID]; ok && x.TargetID == tr.ID {
			if last := c.t.stats[tr.ID].LastChatID; x.Base >= 0 && x.Total >= 0 && x.Base <= math.MaxInt64-x.Total && x.Base+x.Total <= last {
				return msgRange{after: x.Base, upTo: x.Base + x.Total}
			}
			// A range the room's chat counter never reached was not
			// written by an import into this room: the journal is only a
			// hint, and this part of it is wrong.
			c.res.note("%s: room %s: the import journal %s says the import wrote %d messages above chat ID %d, which does not fit the target room (its last chat ID is %d): that range is ignored",
				label, r.Name, m.record.Path, x.Total, x.Base, c.t.stats[tr.ID].LastChatID)
		}
		if _, ok := m.record.Outcomes[r.GUID]; ok && (m.archived(r.GUID) == nil || m.archived(r.GUID).messages == 0) {
			// The archive brought no message for the room: whatever the
			// room holds came from elsewhere (another source, later posts).
			return msgRange{none: true}
		}
	}
	if !created {
		return msgRange{multiset: true}
	}
	// A room with the source room's GUID and no journal range (the
	// journal was deleted, or the room came from another tool or an
	// earlier run) may hold users' posts since: compared whole and in
	// order, and as a multiset if that differs.
	return msgRange{fallback: true}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// addinOrNone names an add-in for a note.
func addinOrNone(name string) string {
	if name == "" {
		return "none"
	}
	return strconv.Quote(name)
}
