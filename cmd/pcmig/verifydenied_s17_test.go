package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestVerifyMergedCategoryDeniedInSourceAllowedInTarget: the source's
// category Sales denies user 3, the target's own Sales allows user 3. An
// import under the default policy (merge) keeps the target's category and
// its entries: a principal is either allowed or denied on a node, never
// both (tblScopePrincipal's key), and the import keeps the target's entry
// and warns ("denied in the archive but allowed in the target; the
// target's entry is kept"). That is what was meant to arrive, so verify
// must not call it a difference; it says so in a note. The other way
// round (allowed in the source, denied in the target) is the same rule.
// After the merge the target's lists govern: a room role of a principal
// the archive's category denies and the target's allows is granted by the
// import, so its loss is a difference (it was called not carried when the
// archive's denial counted whatever the target's entry said).
// A category the import created must carry the source's denied member:
// removing it from the target there is still a difference.
func TestVerifyMergedCategoryDeniedInSourceAllowedInTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, tgt := newHandPool(t, dir, "source"), newHandPool(t, dir, "target")
	s1, s2, s3, s4 := src.user(1), src.user(2), src.user(3), src.user(4)
	sc := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{s1, s2, s4}, DeniedMembers: []int32{s3}, Creators: []int32{s1}})
	// User 3, denied in the source's category, is still listed as a member
	// of one of its rooms (real pools hold such rows): the import grants
	// it, since the target's category, which governs, allows it.
	sr := src.room(pchat.Room{Name: "Leads", CategoryID: sc, Members: []int32{s1, s2, s3}, Managers: []int32{s1}})
	src.post(sr, msg(s1, 0, "hello"), msg(s2, 1, "hi"))
	// A second category the import creates, with its own denied member.
	oc := src.category(pchat.Category{Name: "Ops", AllowedMembers: []int32{s1}, DeniedMembers: []int32{s3}})
	src.room(pchat.Room{Name: "Pager", CategoryID: oc, Members: []int32{s1}})

	t1, t3, t4 := tgt.user(1), tgt.user(3), tgt.user(4)
	tgt.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{t1, t3}, DeniedMembers: []int32{t4}})
	arc := handMigrate(t, dir, src, tgt)

	v := handVerify(t, src, tgt, arc)
	v.want(t, "EQUAL")
	if strings.Contains(v.text, "not carried") {
		t.Errorf("verify calls a role not carried:\n%s", v.text)
	}
	for _, want := range []string{
		"category Sales: denied member sip:user3@contoso.com in the source is an allowed member in the target, whose entry the import keeps when it merges",
		"category Sales: allowed member sip:user4@contoso.com in the source is a denied member in the target, whose entry the import keeps when it merges",
	} {
		if !strings.Contains(v.text, want) {
			t.Errorf("verify does not note %q:\n%s", want, v.text)
		}
	}

	// In the category the import created, the source's denied member is
	// the source's: lost from the target, it is a difference. So is user
	// 3's membership of Leads, which the merged category allows.
	db := openDBWrite(t, tgt.path)
	for _, q := range []string{`DELETE FROM tblScopePrincipal WHERE scopeIsDenied = 1
		AND scopeNodeID = (SELECT nodeID FROM tblNode WHERE nodeName = 'Ops' AND nodeType = 1)`,
		`DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = (SELECT nodeID FROM tblNode WHERE nodeName = 'Leads' AND nodeType = 0)
		AND prinRolePrinID = (SELECT prinID FROM tblPrincipal WHERE prinUri = 'sip:user3@contoso.com')`} {
		res, err := db.Exec(q)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows deleted, want 1", q, n)
		}
	}
	db.Close()
	v = handVerify(t, src, tgt, arc)
	v.want(t, "DIFFERENT")
	want := "category Ops: denied member sip:user3@contoso.com is in the source, not in the target\n" +
		"room Leads: member sip:user3@contoso.com is in the source, not in the target\n"
	if got := v.differences(); got != want {
		t.Errorf("differences:\n%s\nwant:\n%s", got, want)
	}
}

// TestVerifyMergedRoomInAnotherCategoryBoundedByItsCategory: the source's
// Leads (in Sales, which denies user 3 and allows user 4) is merged by name
// into the target's Leads, which is in category Other, where user 3 is
// allowed and user 4 is not. The room stays in Other, whose lists the
// server checks, so the import bounds the room's roles by Other: user 3's
// membership is granted, user 4's is not (it was the other way round:
// bounded by the archive's Sales, the import granted user 4 a role Other
// does not allow), and verify agrees: EQUAL, user 4's membership not
// carried, outside Other.
func TestVerifyMergedRoomInAnotherCategoryBoundedByItsCategory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, tgt := newHandPool(t, dir, "source"), newHandPool(t, dir, "target")
	s1, s2, s3, s4 := src.user(1), src.user(2), src.user(3), src.user(4)
	sc := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{s1, s2, s4}, DeniedMembers: []int32{s3}})
	sr := src.room(pchat.Room{Name: "Leads", CategoryID: sc, Members: []int32{s1, s2, s3, s4}})
	src.post(sr, msg(s1, 0, "hello"))
	t1, t2, t3 := tgt.user(1), tgt.user(2), tgt.user(3)
	tgt.user(4)
	oc := tgt.category(pchat.Category{Name: "Other", AllowedMembers: []int32{t1, t2, t3}})
	tgt.room(pchat.Room{Name: "Leads", CategoryID: oc, Members: []int32{t1}})
	arc := handMigrate(t, dir, src, tgt)
	v := handVerify(t, src, tgt, arc)
	v.want(t, "EQUAL")
	mustContain(t, "verify", v.text, `not carried: room Leads: member sip:user4@contoso.com is not carried: outside category "Other"'s allowed members minus denied members`,
		`room Leads was merged into the target's room of that name, which is in category "Other"`)
	if strings.Contains(v.text, "user3@contoso.com") {
		t.Errorf("verify names user 3, whose membership Other allows and the import granted:\n%s", v.text)
	}
	if got := tgt.roomMembers(t, "Leads"); !slices.Contains(got, "sip:user3@contoso.com") || slices.Contains(got, "sip:user4@contoso.com") {
		t.Errorf("the target's Leads has members %v: want user 3 (Other allows) and not user 4 (Other does not)", got)
	}
}

// roomMembers reads the URIs of the members of the pool's room name (the
// pool closed, as handMigrate leaves it).
func (p *handPool) roomMembers(t *testing.T, name string) []string {
	t.Helper()
	s, err := store.Open(t.Context(), store.Config{DSN: p.dsn(), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	prins, err := s.Principals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	uri := map[int32]string{}
	for _, x := range prins {
		uri[x.ID] = x.URI
	}
	rooms, err := s.Rooms(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rooms {
		if r.Name == name {
			for _, id := range r.Members {
				out = append(out, uri[id])
			}
		}
	}
	return out
}
