package importer

import (
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// reportSystemUsers warns once when more than one archive principal is
// credited to the target's system user (prinID 1), or one that has an AD
// path or user principal name (which system users do not have), naming
// each with the
// messages, roles and allowed or denied entries it brings there. The
// match rule (internal/prinmatch) credits every system user (type
// SystemUser) the target does not hold by GUID or address to the target's
// system user, since a pool has its one system user as far as anything
// documents; the pool's own is expected there. A second one (a service
// principal, or an ordinary address a damaged or hostile archive marks
// SystemUser) is merged with it: that is kept, but said, since its history
// and roles are no longer told apart from the system user's.
func (p *plan) reportSystemUsers() {
	var idx []int
	for i, ap := range p.a.prins {
		if k := p.a.prinIdx[ap.GUID]; k == i && p.prinTarget[ap.GUID] == pchat.SystemUserID {
			idx = append(idx, i)
		}
	}
	var ad []string // those with an AD path or user principal name
	for _, i := range idx {
		if ap := p.a.prins[i]; ap.ADPath != "" || ap.UPN != "" {
			ad = append(ad, ap.URI)
		}
	}
	if len(idx) < 2 && len(ad) == 0 {
		return
	}
	roles, entries := map[string]int{}, map[string]int{}
	count := func(m map[string]int, lists ...[]string) {
		for _, l := range lists {
			for _, g := range l {
				m[g]++
			}
		}
	}
	for _, c := range p.a.cats {
		count(roles, c.Creators)
		count(entries, c.AllowedMembers, c.DeniedMembers)
	}
	for _, r := range p.a.rooms {
		count(roles, r.Members, r.Managers, r.Presenters)
	}
	parts := make([]string, 0, len(idx))
	for _, i := range idx {
		ap := p.a.prins[i]
		parts = append(parts, fmt.Sprintf("%s (GUID %s, %s): %s, %s, %s", ap.URI, ap.GUID, ap.Type, numtext.Count(p.a.posted[i], "message", "messages"),
			numtext.Count(roles[ap.GUID], "role", "roles"), numtext.Count(entries[ap.GUID], "allowed or denied entry", "allowed or denied entries")))
	}
	adNote := ""
	if len(ad) > 0 {
		adNote = fmt.Sprintf("; %s an AD path or user principal name, which a system user does not have (an AD object marked SystemUser?)",
			numtext.Count(len(ad), "of them has", "of them have"))
		if len(idx) == 1 {
			adNote = "; it has an AD path or user principal name, which a system user does not have (an AD object marked SystemUser?)"
		}
	}
	if len(idx) == 1 {
		p.problem(Warning, "principals", "1 principal of the archive is credited to the target's system user (prinID 1): %s%s; "+
			"its messages and roles become the system user's: check the archive's SystemUser principal", parts[0], adNote)
		return
	}
	p.problem(Warning, "principals", "%d principals of the archive are credited to the target's system user (prinID 1): %s%s; "+
		"a pool has one system user, so every system user the target does not hold by GUID or address is credited to the target's, "+
		"and their messages and roles are no longer told apart: check the archive's SystemUser principals besides the pool's own", len(idx), strings.Join(parts, "; "), adNote)
}
