package importer

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// applyStructure writes principals, add-ins, categories, rooms and roles:
// only what the plan found missing. Principals go in one transaction, their
// affiliations in a second, each new add-in in its own, and every category,
// room, scope entry and role grant in one more, set-based (store.Changes).
// An import killed between two of them plans again from the target when it
// resumes and writes only what is still missing.
func (p *plan) applyStructure(ctx context.Context, s *store.Store, j *journal, opts Options) error {
	if err := p.applyPrincipals(ctx, s, j, opts); err != nil {
		return err
	}
	for _, x := range p.addinCreate {
		id, _, err := s.EnsureAddin(ctx, pchat.Addin{ID: x.GUID, Name: x.Name, URL: x.URL})
		if err != nil {
			return err
		}
		p.addinTarget[p.t.addinKey(x.Name)] = id
	}
	var c store.Changes
	cats := make(map[*catPlan]int32, len(p.cats))
	for _, cp := range p.cats {
		cats[cp] = p.planCategory(&c, s, cp)
	}
	rooms := make(map[*roomPlan]int32, len(p.rooms))
	for _, rp := range p.inStreamOrder() {
		rooms[rp] = p.planRoom(&c, s, rp, cats)
	}
	a, err := s.Apply(ctx, &c)
	if err != nil {
		return fmt.Errorf("import categories and rooms: %w", err)
	}
	for cp, ref := range cats {
		cp.targetID = a.ID(ref)
	}
	for rp, ref := range rooms {
		rp.targetID = a.ID(ref)
	}
	return nil
}

// inStreamOrder lists the rooms in the order of their messages in the
// archive (rooms without messages last, in archive order), which is the
// order new rooms are created in: the target gives them rising node IDs,
// so the messages, which come room by room in that order, are appended at
// the end of tblChat's primary key (channelId, chatId) instead of all over
// it. The archive lists rooms by name and their messages by the source's
// room IDs; in that order the embedded store's inserts of 1,000,000
// messages spent 2.8 CPU seconds finding their place in the key instead of
// 0.6.
func (p *plan) inStreamOrder() []*roomPlan {
	out := slices.Clone(p.rooms)
	pos := func(rp *roomPlan) int {
		if n, ok := p.a.streamPos[rp.arc.GUID]; ok {
			return n
		}
		return len(p.a.streamPos)
	}
	slices.SortStableFunc(out, func(a, b *roomPlan) int { return cmp.Compare(pos(a), pos(b)) })
	return out
}

func (p *plan) applyPrincipals(ctx context.Context, s *store.Store, j *journal, opts Options) error {
	if len(p.prinCreate) > 0 {
		ps := make([]pchat.Principal, len(p.prinCreate))
		guids := make([]string, len(p.prinCreate))
		for k, i := range p.prinCreate {
			ap := p.a.prins[i]
			typ, err := pchat.ParsePrincipalType(ap.Type)
			if err != nil {
				return fmt.Errorf("principal %s: %w", ap.URI, err)
			}
			guids[k] = ap.GUID
			ps[k] = pchat.Principal{GUID: ap.GUID, URI: ap.URI, Type: typ, Name: ap.Name,
				DisplayName: ap.DisplayName, CompanyName: ap.CompanyName, Email: ap.Email, ADPath: ap.ADPath, UPN: ap.UPN,
				State: ap.State, PoolID: ap.PoolID, PolicyID: ap.PolicyID, AddedBy: principalBy(ap.AddedBy), AddedOn: ap.AddedOn,
				UpdatedBy: principalBy(ap.UpdatedBy), UpdatedOn: ap.UpdatedOn, VerifiedOn: ap.VerifiedOn}
		}
		// Recorded first: if the import stops between the principals and
		// their affiliations, the next run still knows whose to add.
		if err := j.recordPrincipals(guids, opts.Now()); err != nil {
			return err
		}
		ids, _, err := s.EnsurePrincipals(ctx, ps)
		if err != nil {
			return err
		}
		for k, g := range guids {
			p.prinTarget[g] = ids[k]
		}
	}
	var affs []store.Affiliation
	for _, a := range p.affAdd {
		prin := p.ids([]string{a.guid})
		if len(prin) != 1 {
			return fmt.Errorf("principal %s is missing from the target after it was added", p.label(a.guid))
		}
		for _, of := range p.ids(a.of) {
			affs = append(affs, store.Affiliation{Principal: prin[0], Of: of})
		}
	}
	_, err := s.AddAffiliationsBatch(ctx, affs)
	return err
}

func ptr[T any](v T) *T { return &v }

// ids maps archive GUIDs to target prinIDs, dropping unknown ones (which
// validation has reported).
func (p *plan) ids(guids []string) []int32 {
	out := make([]int32, 0, len(guids))
	for _, g := range guids {
		if id := p.prinTarget[g]; id != 0 {
			out = append(out, id)
		} else if id, ok := p.t.byGUID[g]; ok {
			out = append(out, id)
		}
	}
	return out
}

// principalID is the target prinID of an archive principal's GUID, given
// as a string or as bytes (a message's poster, without allocating), or the
// system user's for a GUID the target does not have.
func principalID[T string | []byte](p *plan, guid T) int32 {
	if id := p.prinTarget[string(guid)]; id != 0 {
		return id
	}
	if id, ok := p.t.byGUID[string(guid)]; ok {
		return id
	}
	return pchat.SystemUserID
}

// planCategory adds a category's writes to c and returns its ID or
// placeholder (0 for a skipped category).
func (p *plan) planCategory(c *store.Changes, s *store.Store, cp *catPlan) int32 {
	switch cp.action {
	case ActSkip:
		return 0
	case ActCreate, ActRename:
		return c.Category(pchat.Category{GUID: cp.arc.GUID, Name: cp.name, Description: cp.arc.Description,
			Invitations: cp.arc.Invitations, FileUpload: cp.arc.FileUpload, ChatHistory: cp.arc.ChatHistory,
			AllowedMembers: p.ids(cp.addAllowed), DeniedMembers: p.ids(cp.addDenied), Creators: p.ids(cp.addCreators),
			AddedBy: principalID(p, cp.arc.AddedBy), AddedOn: cp.arc.AddedOn, UpdatedBy: principalID(p, cp.arc.UpdatedBy), UpdatedOn: cp.arc.UpdatedOn})
	}
	for _, l := range []struct {
		denied bool
		guids  []string
	}{{false, cp.addAllowed}, {true, cp.addDenied}} {
		for _, prin := range p.ids(l.guids) {
			c.Scope(store.ScopeEntry{Node: cp.targetID, Prin: prin, Denied: l.denied})
		}
	}
	for _, prin := range p.ids(cp.addCreators) {
		c.Grant(store.RoleGrant{Node: cp.targetID, Prin: prin, Role: s.Roles().Creator})
	}
	return cp.targetID
}

// planRoom adds a room's writes to c and returns its ID or placeholder (0
// for a skipped room).
func (p *plan) planRoom(c *store.Changes, s *store.Store, rp *roomPlan, cats map[*catPlan]int32) int32 {
	switch rp.action {
	case ActSkip:
		return 0
	case ActCreate, ActRename:
		ar := rp.arc
		addin := ""
		if ar.Addin != "" {
			addin = p.addinTarget[p.t.addinKey(ar.Addin)]
		}
		return c.Room(pchat.Room{GUID: ar.GUID, Name: rp.name, Description: ar.Description, CategoryID: cats[rp.cat],
			Privacy: ar.Privacy, Type: ar.Type, Invitations: ar.Invitations, Disabled: ar.Disabled, AddinID: addin,
			Members: p.ids(rp.addMembers), Managers: p.ids(rp.addManagers), Presenters: p.ids(rp.addPresenters),
			AddedBy: principalID(p, ar.AddedBy), AddedOn: ar.AddedOn, UpdatedBy: principalID(p, ar.UpdatedBy), UpdatedOn: ar.UpdatedOn})
	}
	r := s.Roles()
	for _, l := range []struct {
		role  int32
		guids []string
	}{{r.Member, rp.addMembers}, {r.Manager, rp.addManagers}, {r.Voiced, rp.addPresenters}} {
		for _, prin := range p.ids(l.guids) {
			c.Grant(store.RoleGrant{Node: rp.targetID, Prin: prin, Role: l.role})
		}
	}
	return rp.targetID
}

// principalBy is the prinAddedBy or prinUpdatedBy of a principal the
// import creates: NULL where the archive says NULL (""), else the system
// user, as for an archive written before it held the column.
func principalBy(by *string) *int32 {
	if by != nil {
		return nil
	}
	return ptr(pchat.SystemUserID)
}
