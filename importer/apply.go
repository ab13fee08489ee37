package importer

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// applyStructure writes principals, add-ins, categories, rooms and roles:
// only what the plan found missing. Principals and their affiliations go in
// one transaction each; the rest in one per object.
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
	for _, cp := range p.cats {
		if err := p.applyCategory(ctx, s, cp); err != nil {
			return fmt.Errorf("import category %q: %w", cp.arc.Name, err)
		}
	}
	for _, rp := range p.rooms {
		if err := p.applyRoom(ctx, s, rp); err != nil {
			return fmt.Errorf("import room %q: %w", rp.arc.Name, err)
		}
	}
	return nil
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
				State: ap.State, PolicyID: ap.PolicyID, AddedBy: ptr(pchat.SystemUserID), AddedOn: ap.AddedOn,
				UpdatedBy: ptr(pchat.SystemUserID), UpdatedOn: ap.UpdatedOn, VerifiedOn: ap.VerifiedOn}
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

func (p *plan) by(guid string) int32 {
	if ids := p.ids([]string{guid}); len(ids) == 1 {
		return ids[0]
	}
	return pchat.SystemUserID
}

func (p *plan) applyCategory(ctx context.Context, s *store.Store, cp *catPlan) error {
	switch cp.action {
	case ActSkip:
		return nil
	case ActCreate, ActRename:
		id, err := s.CreateCategory(ctx, pchat.Category{GUID: cp.arc.GUID, Name: cp.name, Description: cp.arc.Description,
			Invitations: cp.arc.Invitations, FileUpload: cp.arc.FileUpload, ChatHistory: cp.arc.ChatHistory,
			AllowedMembers: p.ids(cp.addAllowed), DeniedMembers: p.ids(cp.addDenied), Creators: p.ids(cp.addCreators),
			AddedBy: p.by(cp.arc.AddedBy), AddedOn: cp.arc.AddedOn, UpdatedBy: p.by(cp.arc.UpdatedBy), UpdatedOn: cp.arc.UpdatedOn})
		cp.targetID = id
		return err
	}
	if len(cp.addAllowed) > 0 {
		if _, err := s.AddScopes(ctx, cp.targetID, false, p.ids(cp.addAllowed)); err != nil {
			return err
		}
	}
	if len(cp.addDenied) > 0 {
		if _, err := s.AddScopes(ctx, cp.targetID, true, p.ids(cp.addDenied)); err != nil {
			return err
		}
	}
	if len(cp.addCreators) > 0 {
		if _, err := s.AddRoles(ctx, cp.targetID, pchat.RoleCreator, p.ids(cp.addCreators)); err != nil {
			return err
		}
	}
	return nil
}

func (p *plan) applyRoom(ctx context.Context, s *store.Store, rp *roomPlan) error {
	switch rp.action {
	case ActSkip:
		return nil
	case ActCreate, ActRename:
		ar := rp.arc
		addin := ""
		if ar.Addin != "" {
			addin = p.addinTarget[p.t.addinKey(ar.Addin)]
		}
		id, err := s.CreateRoom(ctx, pchat.Room{GUID: ar.GUID, Name: rp.name, Description: ar.Description, CategoryID: rp.cat.targetID,
			Privacy: ar.Privacy, Type: ar.Type, Invitations: ar.Invitations, Disabled: ar.Disabled, AddinID: addin,
			Members: p.ids(rp.addMembers), Managers: p.ids(rp.addManagers), Presenters: p.ids(rp.addPresenters),
			AddedBy: p.by(ar.AddedBy), AddedOn: ar.AddedOn, UpdatedBy: p.by(ar.UpdatedBy), UpdatedOn: ar.UpdatedOn})
		rp.targetID = id
		return err
	}
	for _, l := range []struct {
		role  string
		guids []string
	}{{pchat.RoleMember, rp.addMembers}, {pchat.RoleManager, rp.addManagers}, {pchat.RoleVoiced, rp.addPresenters}} {
		if len(l.guids) == 0 {
			continue
		}
		if _, err := s.AddRoles(ctx, rp.targetID, l.role, p.ids(l.guids)); err != nil {
			return err
		}
	}
	return nil
}
