package importer

import (
	"fmt"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/textwidth"
)

func (p *plan) planRooms() {
	tByGUID, tByName := index(p, p.t.rooms, func(r *pchat.Room) (string, string) { return r.GUID, r.Name })
	own := nameKeys(p, p.a.rooms, func(r *archive.Room) string { return r.Name })
	seen := map[string]*archive.Room{}
	for i := range p.a.rooms {
		ar := &p.a.rooms[i]
		rp := &roomPlan{arc: ar, name: ar.Name, messages: p.a.roomMessages[ar.GUID]}
		p.rooms = append(p.rooms, rp)
		p.roomByGUID[ar.GUID] = rp
		object := "room " + ar.Name
		if first, dup := seen[p.t.nameKey(ar.Name)]; dup {
			p.problem(Error, fmt.Sprintf("room %q", textwidth.Shorten(ar.Name)), "room %q in category %q and room %q in category %q: the target holds them as one name, and room names are unique in a pool (across categories)",
				textwidth.Shorten(first.Name), textwidth.Shorten(first.Category), textwidth.Shorten(ar.Name), textwidth.Shorten(ar.Category))
		} else {
			seen[p.t.nameKey(ar.Name)] = ar
		}
		checkName("room", ar.Name, p.problem)
		if err := p.t.db.CheckNode(ar.Name, ar.Description); err != nil {
			p.problem(Error, object, "%v", err)
		}
		cp := p.catByName[p.t.nameKey(ar.Category)]
		if cp == nil {
			p.problem(Error, object, "its category %q is not in the archive", textwidth.Shorten(ar.Category))
			rp.action = ActSkip
			continue
		}
		rp.cat = cp
		if cp.action == ActSkip {
			rp.action = ActSkip
			continue
		}
		if ar.Addin != "" {
			if _, ok := p.addinTarget[p.t.addinKey(ar.Addin)]; !ok {
				p.problem(Error, object, "uses add-in %q, which is neither in the archive nor in the target", textwidth.Shorten(ar.Addin))
			}
		}
		if ar.Type != pchat.Auditorium && len(ar.Presenters) > 0 {
			p.problem(Warning, object, "has %s but is a %s room: presenters apply to auditorium rooms only", numtext.Count(len(ar.Presenters), "presenter", "presenters"), ar.Type)
			p.kinded(KindPresenters)
		}
		p.checkRefs(object, ar.Members, ar.Managers, ar.Presenters)
		p.checkBy(object, ar.AddedBy, ar.UpdatedBy)
		var existing *pchat.Room
		existing, rp.action, rp.name = match(p, "room", ar.GUID, ar.Name, tByGUID, tByName, own,
			"skipped: the target's room is left as it is and the archive's messages are not imported",
			"merged: the target's room and its settings are kept; the archive's roles and messages are added")
		if rp.action == ActSkip {
			continue
		}
		if existing == nil {
			p.checkNodeGUID("room", ar.Name, ar.GUID)
		}
		if existing != nil && cp.targetID != 0 && existing.CategoryID != cp.targetID && rp.action == ActExists {
			p.problem(Warning, object, "was moved to another category in the target since an earlier import; it stays there")
			p.kinded(KindRoomMoved)
		}
		var tMembers, tManagers, tPresenters map[string]bool
		if existing != nil {
			rp.targetID, rp.name = existing.ID, existing.Name
			tMembers, tManagers, tPresenters = p.t.guids(existing.Members), p.t.guids(existing.Managers), p.t.guids(existing.Presenters)
		}
		// The roles are bounded by the category the room is in after the
		// import: a merged room stays in its target category, whose lists
		// the server checks.
		bounds := cp
		if existing != nil && existing.CategoryID != cp.targetID {
			bounds = p.targetCategory(existing.CategoryID)
		}
		rp.addMembers = p.eligible(bounds, object, "member", p.missing(ar.Members, tMembers, nil))
		rp.addManagers = p.eligible(bounds, object, "manager", p.missing(ar.Managers, tManagers, nil))
		rp.addPresenters = p.eligible(bounds, object, "presenter", p.missing(ar.Presenters, tPresenters, nil))
	}
}

// targetCategory is the plan of the target category id as the import
// leaves it: the plan of the archive category merged into it, or else
// its own lists, which the import does not change.
func (p *plan) targetCategory(id int32) *catPlan {
	for _, cp := range p.cats {
		if cp.targetID == id && cp.inTarget {
			return cp
		}
	}
	for i := range p.t.cats {
		if c := &p.t.cats[i]; c.ID == id {
			return &catPlan{name: c.Name, targetID: c.ID, inTarget: true, allowed: p.t.guids(c.AllowedMembers), denied: p.t.guids(c.DeniedMembers)}
		}
	}
	return &catPlan{targetID: id, inTarget: true, allowed: map[string]bool{}, denied: map[string]bool{}}
}
