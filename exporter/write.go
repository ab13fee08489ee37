package exporter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

func (src *source) guids(ids []int32) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if g, ok := src.guidOf[id]; ok {
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

func (src *source) write(ctx context.Context, w *archive.Writer, opts Options, progress func(Progress), res *Result) (archive.Manifest, error) {
	m := archive.Manifest{ToolVersion: opts.ToolVersion, SourcePool: opts.SourcePool, SourceDatabase: src.store.Describe(), Level: opts.Level.String(),
		Scope: opts.Scope, Since: res.Since, Created: opts.Now().UTC()}
	progress(Progress{Phase: "structure"})
	for _, p := range src.prins {
		if err := w.AddPrincipal(src.principal(p)); err != nil {
			return m, notUTF8(fmt.Sprintf("tblPrincipal prinID %d", p.ID), err)
		}
	}
	for _, c := range src.cats {
		if err := w.AddCategory(archive.Category{GUID: c.GUID, Name: c.Name, Description: c.Description,
			Invitations: c.Invitations, FileUpload: c.FileUpload, ChatHistory: c.ChatHistory,
			AllowedMembers: src.guids(c.AllowedMembers), DeniedMembers: src.guids(c.DeniedMembers), Creators: src.guids(c.Creators),
			AddedBy: src.guidOf[c.AddedBy], AddedOn: c.AddedOn, UpdatedBy: src.guidOf[c.UpdatedBy], UpdatedOn: c.UpdatedOn}); err != nil {
			return m, notUTF8(fmt.Sprintf("tblNode nodeID %d", c.ID), err)
		}
	}
	for _, a := range src.addins {
		if err := w.AddAddin(archive.Addin{GUID: a.ID, Name: a.Name, URL: a.URL}); err != nil {
			return m, notUTF8("tblSiopWhiteList siopID "+a.ID, err)
		}
	}
	for _, r := range src.rooms {
		if err := w.AddRoom(archive.Room{GUID: r.GUID, Name: r.Name, Description: r.Description, Category: src.catName[r.CategoryID],
			Privacy: r.Privacy, Type: r.Type, Invitations: r.Invitations, Disabled: r.Disabled, Addin: src.addinName[r.AddinID],
			Members: src.guids(r.Members), Managers: src.guids(r.Managers), Presenters: src.guids(r.Presenters),
			AddedBy: src.guidOf[r.AddedBy], AddedOn: r.AddedOn, UpdatedBy: src.guidOf[r.UpdatedBy], UpdatedOn: r.UpdatedOn}); err != nil {
			return m, notUTF8(fmt.Sprintf("tblNode nodeID %d", r.ID), err)
		}
	}
	if opts.Level >= Content && len(src.rooms) > 0 {
		if err := src.messages(ctx, w, opts, progress, res); err != nil {
			return m, err
		}
	}
	if res.Replaced != nil {
		r := *res.Replaced
		m.Replaced = &r
	}
	for _, r := range src.rooms {
		res.Rooms = append(res.Rooms, RoomResult{Name: r.Name, Category: src.catName[r.CategoryID], Messages: res.roomCount(r.GUID), Disabled: r.Disabled})
	}
	res.Counts = archive.Counts{Principals: int64(len(src.prins)), Categories: int64(len(src.cats)), Addins: int64(len(src.addins)),
		Rooms: int64(len(src.rooms)), Messages: res.Counts.Messages}
	return m, nil
}

// notUTF8 names the row of a structure text the archive refused as not
// valid UTF-8 (an embedded source keeps any bytes) and says what the
// export did and what to do, as a message's refusal does; other errors
// are returned as they are.
func notUTF8(row string, err error) error {
	if !errors.Is(err, archive.ErrInvalidUTF8) {
		return err
	}
	return fmt.Errorf("%s: %w: an archive carries text exactly and never replaces bytes, so the export refuses the pool and writes no archive; correct the row after a backup (pcmig doctor --role source names every such row, on its text line), and export again", row, err)
}

func (res *Result) roomCount(guid string) int64 { return res.counts[guid] }

func (src *source) principal(p pchat.Principal) archive.Principal {
	return archive.Principal{GUID: p.GUID, URI: p.URI, Type: p.Type.String(), Name: p.Name, DisplayName: p.DisplayName,
		CompanyName: p.CompanyName, Email: p.Email, ADPath: p.ADPath, UPN: p.UPN, State: p.State,
		PoolID: p.PoolID, PolicyID: p.PolicyID, AddedBy: principalBy(p.AddedBy), AddedOn: p.AddedOn,
		UpdatedBy: principalBy(p.UpdatedBy), UpdatedOn: p.UpdatedOn, VerifiedOn: p.VerifiedOn,
		Affiliations: src.guids(src.aff[p.ID])}
}

// principalBy is a principal's prinAddedBy or prinUpdatedBy as an archive
// holds it: "" for NULL, nil (no key) for the system user and for any other
// prinID, which authorsOfPrincipals warns of.
func principalBy(id *int32) *string {
	if id == nil {
		return new(string)
	}
	return nil
}

// authorsOfPrincipals warns of principals whose prinAddedBy or
// prinUpdatedBy is neither NULL nor the system user: an archive has no
// place for another principal there, so the import gives the principals
// it creates the system user.
func (src *source) authorsOfPrincipals(res *Result) {
	var who []string
	n := 0
	for _, p := range src.prins {
		var cols []string
		if p.AddedBy != nil && *p.AddedBy != pchat.SystemUserID {
			cols = append(cols, fmt.Sprintf("prinAddedBy %d", *p.AddedBy))
		}
		if p.UpdatedBy != nil && *p.UpdatedBy != pchat.SystemUserID {
			cols = append(cols, fmt.Sprintf("prinUpdatedBy %d", *p.UpdatedBy))
		}
		if len(cols) == 0 {
			continue
		}
		if n++; n <= 10 {
			who = append(who, fmt.Sprintf("prinID %d: %s", p.ID, strings.Join(cols, ", ")))
		}
	}
	if n == 0 {
		return
	}
	if n > 10 {
		who = append(who, fmt.Sprintf("and %d more", n-10))
	}
	res.warn("", fmt.Sprintf("%s a creator or last updater other than the system user (prinID 1) or NULL: %s: exported as the system user (an archive holds only NULL or the system user there), so the principals the import creates get 1 there",
		numtext.Count(n, "principal has", "principals have"), strings.Join(who, "; ")))
}

// unknownAffiliations warns of tblPrincipalAffiliations rows (a
// principal's groups, containers and domains, other than itself) whose
// principalID or affiliationID is not in tblPrincipal (the documented
// foreign keys forbid them; a database that does not enforce its keys
// may hold them, left by a removed principal): an archive names
// principals by GUID, so they are left out. They were left out without
// a word.
func (src *source) unknownAffiliations(res *Result) {
	ids := map[int32]bool{}
	n := 0
	for p, of := range src.aff {
		_, known := src.guidOf[p]
		for _, a := range of {
			if _, ok := src.guidOf[a]; ok && known {
				continue
			}
			n++
			if !known {
				ids[p] = true
			}
			if _, ok := src.guidOf[a]; !ok {
				ids[a] = true
			}
		}
	}
	if n == 0 {
		return
	}
	sorted := make([]int32, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)
	shown := make([]string, 0, 10)
	for _, id := range sorted[:min(len(sorted), 10)] {
		shown = append(shown, fmt.Sprint(id))
	}
	res.warn("", fmt.Sprintf("%s (tblPrincipalAffiliations rows, a principal's groups, containers and domains) %s a principal not in tblPrincipal (prinIDs %s): not exported (an archive names principals by GUID)",
		numtext.Count(n, "affiliation", "affiliations"), numtext.Noun(n, "names", "name"), numtext.Listed(shown, len(sorted), ", ")))
}

// roomInvitations carries a room whose invitations are on (invite 1)
// under a category whose invitations are off as False, with a warning
// naming it (pchat.Invitations.Under): the reference documents that such
// a category's rooms cannot turn invitations on, and that the cmdlet
// import sets a room's invitations that are not valid against its
// category to false, with a warning. It was carried as True without a
// word, which a target category with invitations on would turn on.
func (src *source) roomInvitations(res *Result) {
	on := make(map[int32]bool, len(src.cats))
	for _, c := range src.cats {
		on[c.ID] = c.Invitations
	}
	for i := range src.rooms {
		r := &src.rooms[i]
		if v := r.Invitations.Under(on[r.CategoryID]); v != r.Invitations {
			res.warn(KindRoomInvitations, fmt.Sprintf("room %q: invitations on (invite 1) in category %q, whose invitations are off: exported as False, as the cmdlet import sets a room's invitations that its category does not allow (a category with invitations off lets no room turn them on)", r.Name, src.catName[r.CategoryID]))
			r.Invitations = v
		}
	}
}
