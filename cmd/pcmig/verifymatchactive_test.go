package main

import (
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// An active source principal is matched by URI with the one active target
// principal of its address, when that is unambiguous: the target's
// disabled or deleted principals of the address are not candidates, and
// the source's (the archive's) disabled or deleted principals of it do not
// make it ambiguous. The import and verify follow the one rule
// (internal/prinmatch): each case checks what the import made of the
// target, that verify says EQUAL, and that the history credited to
// another principal of the address is DIFFERENT.

// posterOf is the GUID of the target principal that posted content.
func posterOf(t *testing.T, tgt *handPool, content string) []string {
	t.Helper()
	return sqlRows(t, tgt.path, `SELECT p.prinGuid FROM tblChat c JOIN tblPrincipal p ON p.prinID = c.userId WHERE c.content = '`+content+`'`)
}

// TestVerifyHandTargetHoldsADeletedPrincipalOfTheAddress: the target holds
// user 2 (deleted, the lowest prinID of the address) and user 3 (active)
// of the source user 1's address. The import matches user 1 with user 3
// (it matched none, the lowest being deleted, and created user 1: two
// active principals of one SIP address in the target).
func TestVerifyHandTargetHoldsADeletedPrincipalOfTheAddress(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	u1 := src.prin(handGUID(1), "sip:pat@contoso.com", pchat.Active)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{u1}, Creators: []int32{u1}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{u1}, Managers: []int32{u1}})
	src.post(r, msg(u1, 0, "hello"))
	tgt := newHandPool(t, dir, "target")
	tgt.prin(handGUID(2), "sip:pat@contoso.com", pchat.Deleted)
	tgt.prin(handGUID(3), "sip:pat@contoso.com", pchat.Active)
	arc := handMigrate(t, dir, src, tgt)
	if got := sqlRows(t, tgt.path, `SELECT prinGuid FROM tblPrincipal WHERE prinUri = 'sip:pat@contoso.com' ORDER BY prinID`); len(got) != 2 {
		t.Fatalf("the target's principals of the address: %q, want users 2 and 3 only (user 1 matched with user 3)", got)
	}
	if got := posterOf(t, tgt, "hello"); len(got) != 1 || got[0] != handGUID(3) {
		t.Fatalf("user 1's message is the target's %q's, want user 3's", got)
	}
	handVerify(t, src, tgt, arc).want(t, "EQUAL")
	handVerify(t, src, tgt, "").want(t, "EQUAL")

	execPool(t, tgt, `UPDATE tblChat SET userId = (SELECT prinID FROM tblPrincipal WHERE prinGuid = '`+handGUID(2)+`')`)
	v := handVerify(t, src, tgt, arc)
	v.want(t, "DIFFERENT")
	v.wantText(t, "GUID "+handGUID(2))
}

// TestVerifyHandSourceHoldsTheDeletedFormerUser: a user deleted and
// created again in AD: the source holds the deleted old user 1 and the
// active new user 2 of one address, the target the active user 3 of it.
// The import matches user 2 with user 3 and brings user 1 (deleted) under
// its own GUID (it matched neither, the address being the archive's
// twice, and created user 2 too: two active principals of the address).
func TestVerifyHandSourceHoldsTheDeletedFormerUser(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	old := src.prin(handGUID(1), "sip:pat@contoso.com", pchat.Deleted)
	cur := src.prin(handGUID(2), "sip:pat@contoso.com", pchat.Active)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{cur}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{cur}, Presenters: []int32{cur}})
	src.post(r, msg(old, 0, "before"), msg(cur, 1, "after"))
	tgt := newHandPool(t, dir, "target")
	tgt.prin(handGUID(3), "sip:pat@contoso.com", pchat.Active)
	arc := handMigrate(t, dir, src, tgt)
	if got := sqlRows(t, tgt.path, `SELECT prinGuid FROM tblPrincipal WHERE prinUri = 'sip:pat@contoso.com' AND prinDisabled = 0`); len(got) != 1 || got[0] != handGUID(3) {
		t.Fatalf("the target's active principals of the address: %q, want user 3 only (user 2 matched with it)", got)
	}
	if got := posterOf(t, tgt, "after"); len(got) != 1 || got[0] != handGUID(3) {
		t.Fatalf("user 2's message is the target's %q's, want user 3's", got)
	}
	if got := posterOf(t, tgt, "before"); len(got) != 1 || got[0] != handGUID(1) {
		t.Fatalf("user 1's message is the target's %q's, want user 1's (brought by the import)", got)
	}
	handVerify(t, src, tgt, arc).want(t, "EQUAL")
	handVerify(t, src, tgt, "").want(t, "EQUAL")

	execPool(t, tgt, `UPDATE tblChat SET userId = (SELECT prinID FROM tblPrincipal WHERE prinGuid = '`+handGUID(1)+`') WHERE content = 'after'`)
	v := handVerify(t, src, tgt, arc)
	v.want(t, "DIFFERENT")
	v.wantText(t, "GUID "+handGUID(1))
}
