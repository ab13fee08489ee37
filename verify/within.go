package verify

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
)

// Persistent Chat grants a category's creators and its rooms' members,
// managers and presenters only to principals within the category's
// allowed members minus its denied members (documented), and the import
// follows the rule: it warns about such a source role and does not grant
// it. Verify accounts for what the rule keeps out: a source role the
// target lacks whose principal is outside the allowed members minus denied
// members the import bounded it by (bounds), by the rule the import applies
// (pchat.Within: by the memberships the target's principal, matched as the
// import matched it, has in the target, tblPrincipalAffiliations as it is
// after the import; the source's memberships do not count, as the server
// does not see them), is not carried, not a difference. A missing role the
// rule allows stays a difference.

// bounded reports whether the rule bounds the role.
func (r role) bounded() bool {
	return r == roleCreator || r == roleMember || r == roleManager || r == rolePresenter
}

// bounds are the allowed and denied members, as compared URIs, that the
// import bounded a source category's roles by in the target: for a
// category it created, the archive's (the source category's) lists; for
// one it merged into the target's, the target's lists as the import left
// them (importer/plan.go mergeLists): the target's entries, and the
// archive's where the target has none for the principal (a principal is
// either allowed or denied on a node, and the import keeps the target's
// entry). A room is bounded by its archive category's bounds, or, where
// the target's room (merged into) is in another category, by that
// category's lists as they are in the target (otherCategory), as the
// import bounds them.
type bounds struct {
	name   string          // the target category's name, for messages
	tc     *pchat.Category // the target category
	src    *pchat.Category // the source category
	s      *side           // the source category's side
	merged bool
	// allowed and denied are built when first needed.
	allowed, denied map[string]bool
}

// build fills in the lists.
func (b *bounds) build(t *side) {
	if b.allowed != nil {
		return
	}
	b.allowed, b.denied = map[string]bool{}, map[string]bool{}
	if b.merged {
		for _, id := range b.tc.AllowedMembers {
			b.allowed[t.who(id)] = true
		}
		for _, id := range b.tc.DeniedMembers {
			b.denied[t.who(id)] = true
		}
	}
	targets := func(u string) bool { return b.merged && (b.allowed[u] || b.denied[u]) }
	var add []string
	for _, id := range b.src.AllowedMembers {
		if u := b.s.who(id); !targets(u) {
			add = append(add, u)
		}
	}
	var deny []string
	for _, id := range b.src.DeniedMembers {
		if u := b.s.who(id); !targets(u) {
			deny = append(deny, u)
		}
	}
	for _, u := range add {
		b.allowed[u] = true
	}
	for _, u := range deny {
		b.denied[u] = true
	}
}

// otherCategory is the bounds of the target's category id for a room in
// it that the source has in another category: its lists as they are in
// the target (a source category merged into it added its entries there).
func (c *comparison) otherCategory(id int32, s *side) *bounds {
	tc, ok := c.t.catByID[id]
	if !ok {
		tc = &pchat.Category{ID: id}
	}
	return &bounds{name: tc.Name, tc: tc, src: &pchat.Category{}, s: s, merged: true}
}

// outside reports whether side s's principal p is outside the allowed
// members minus denied members b. A principal the target does not hold is
// not taken to be outside (its missing role stays a difference): the
// import brings every principal its roles name.
func (c *comparison) outside(ctx context.Context, s *side, p int32, b *bounds) (bool, error) {
	if err := c.t.affiliations(ctx); err != nil {
		return false, err
	}
	u, ok := s.uri[p]
	if !ok {
		return false, nil
	}
	tid, ok := c.t.idOf[u]
	if !ok {
		return false, nil
	}
	b.build(c.t)
	var groups []string
	for _, a := range c.t.aff[tid] {
		groups = append(groups, c.t.who(a))
	}
	return !pchat.Within(u, groups, func(g string) bool { return b.allowed[g] }, func(g string) bool { return b.denied[g] }), nil
}

// notCarry records a source role the rule keeps out of target category
// cat.
func (c *comparison) notCarry(w wanted, cat string) {
	d := c.objs[w.obj]
	uri := c.uris[w.k.uri()]
	c.res.NotCarried = append(c.res.NotCarried, NotCarried{Source: d.source, Category: d.category, Object: d.object,
		Role: w.k.role().String(), Principal: uri,
		Text: fmt.Sprintf("%s: %s %s is not carried: outside category %q's allowed members minus denied members", d.object, w.k.role(), uri, cat)})
}

// affiliations reads the side's tblPrincipalAffiliations once, and for
// every principal its prinID by compared URI.
func (sd *side) affiliations(ctx context.Context) error {
	if sd.aff != nil {
		return nil
	}
	aff, err := sd.store.Affiliations(ctx)
	if err != nil {
		return err
	}
	sd.aff, sd.idOf = aff, make(map[string]int32, len(sd.uri))
	for id, u := range sd.uri {
		if old, ok := sd.idOf[u]; !ok || id < old {
			sd.idOf[u] = id
		}
	}
	return nil
}
