package main

import (
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// verify must judge principals by the rule the import matched them by
// (internal/prinmatch): by GUID, else by URI only when the URI is the
// archive's only principal of that address, the target's principal of it
// is no other archive principal's by GUID, and both are active; else a
// system user is the target's system user. Each case below is built by
// hand; the target is first what the import made of it (EQUAL), then what
// an import matching by URI regardless would have made of it (DIFFERENT).

// giveTo credits one target principal's history, roles and scope entries
// to another's and removes it, as an import that matched it by URI with
// the other would have left the target.
func giveTo(t *testing.T, tgt *handPool, fromGUID, toGUID string) {
	t.Helper()
	to := `(SELECT prinID FROM tblPrincipal WHERE prinGuid = '` + toGUID + `')`
	from := `(SELECT prinID FROM tblPrincipal WHERE prinGuid = '` + fromGUID + `')`
	execPool(t, tgt,
		`UPDATE tblChat SET userId = `+to+` WHERE userId = `+from,
		`UPDATE OR IGNORE tblPrincipalRole SET prinRolePrinID = `+to+` WHERE prinRolePrinID = `+from,
		`DELETE FROM tblPrincipalRole WHERE prinRolePrinID = `+from,
		`UPDATE OR IGNORE tblScopePrincipal SET scopePrinID = `+to+` WHERE scopePrinID = `+from,
		`DELETE FROM tblScopePrincipal WHERE scopePrinID = `+from,
		`DELETE FROM tblPrincipalAffiliations WHERE principalID = `+from+` OR affiliationID = `+from,
		`DELETE FROM tblPrincipal WHERE prinGuid = '`+fromGUID+`'`)
}

// TestVerifyHandTwoSourcePrincipalsOfOneAddress: the source holds users
// 1 and 2 with one address in two spellings (a user deleted from AD and
// created again is another AD object; on a case-insensitive database the
// spellings are one address), both active; the target holds user 3 of
// that address. Two AD objects of one address are not told apart by it:
// the import matches neither with user 3 and brings both as principals of
// their own (EQUAL). A target where user 1's history and roles are user
// 3's instead did not receive what the import brings: DIFFERENT (verify
// said EQUAL, matching user 1 with user 3 by URI).
func TestVerifyHandTwoSourcePrincipalsOfOneAddress(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	u1 := src.prin(handGUID(1), "sip:pat@contoso.com", pchat.Active)
	u2 := src.prin(handGUID(2), "sip:Pat@contoso.com", pchat.Active)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{u1, u2}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{u1, u2}, Managers: []int32{u1}})
	src.post(r, msg(u1, 0, "from the first"), msg(u2, 1, "from the second"))
	tgt := newHandPool(t, dir, "target")
	tgt.prin(handGUID(3), "sip:pat@contoso.com", pchat.Active)
	arc := handMigrate(t, dir, src, tgt)
	if got := sqlRows(t, tgt.path, `SELECT prinGuid FROM tblPrincipal WHERE prinUri LIKE 'sip:pat@contoso.com' ORDER BY prinID`); len(got) != 3 ||
		got[0] != handGUID(3) || got[1] != handGUID(1) || got[2] != handGUID(2) {
		t.Fatalf("the target's principals of the address: %q, want user 3's and then users 1 and 2 brought by the import", got)
	}
	handVerify(t, src, tgt, arc).want(t, "EQUAL")

	giveTo(t, tgt, handGUID(1), handGUID(3))
	v := handVerify(t, src, tgt, arc)
	v.want(t, "DIFFERENT")
	v.wantText(t, "GUID "+handGUID(1))
}

// TestVerifyHandAddressOfAPrincipalMatchedByGUID: the source's user 1 is
// the target's user 1 (one GUID) under a new address; the target knows
// user 1 by the address that the source's user 2 holds now. The import
// matches user 1 by GUID and so not user 2 by URI with the same target
// principal (that would merge two AD objects): it brings user 2 as a
// principal of its own (EQUAL). A target where user 2's history and roles
// are user 1's instead is DIFFERENT (verify said EQUAL).
func TestVerifyHandAddressOfAPrincipalMatchedByGUID(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	u1 := src.prin(handGUID(1), "sip:pat.new@contoso.com", pchat.Active)
	u2 := src.prin(handGUID(2), "sip:pat@contoso.com", pchat.Active)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{u1, u2}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{u1, u2}, Presenters: []int32{u2}})
	src.post(r, msg(u1, 0, "from the first"), msg(u2, 1, "from the second"))
	tgt := newHandPool(t, dir, "target")
	tgt.prin(handGUID(1), "sip:pat@contoso.com", pchat.Active)
	arc := handMigrate(t, dir, src, tgt)
	if got := sqlRows(t, tgt.path, `SELECT prinGuid FROM tblPrincipal WHERE prinUri = 'sip:pat@contoso.com' ORDER BY prinID`); len(got) != 2 ||
		got[0] != handGUID(1) || got[1] != handGUID(2) {
		t.Fatalf("the target's principals of user 2's address: %q, want user 1's and user 2 brought by the import", got)
	}
	handVerify(t, src, tgt, arc).want(t, "EQUAL")

	giveTo(t, tgt, handGUID(2), handGUID(1))
	v := handVerify(t, src, tgt, arc)
	v.want(t, "DIFFERENT")
	v.wantText(t, "GUID "+handGUID(2))
}

// TestVerifyHandSystemUserOfAnotherPool: the pools' system users are
// other objects (GUID and URI of each pool's own). The import gives the
// source's system user's messages and roles to the target's system user
// (prinID 1), creating no principal: EQUAL (verify said DIFFERENT, the
// poster "ma-sys:system" in the source and the target's system user's URI
// in the target). Given to anyone else, they are a difference.
func TestVerifyHandSystemUserOfAnotherPool(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	u1 := src.user(1)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{u1}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{u1}})
	src.post(r, msg(u1, 0, "hello"), msg(pchat.SystemUserID, 1, "a notice from the system"))
	tgt := newHandPool(t, dir, "target")
	tgt.user(1)
	tgt.close()
	execPool(t, tgt, `UPDATE tblPrincipal SET prinGuid = '`+handGUID(99)+`', prinUri = 'ma-sys:pchat-2019' WHERE prinID = 1`)
	arc := handMigrate(t, dir, src, tgt)
	if got := sqlRows(t, tgt.path, `SELECT COUNT(*) FROM tblPrincipal WHERE prinTypeID = 4`); got[0] != "1" {
		t.Fatalf("the target holds %s system users, want 1 (the import maps the source's to the target's)", got[0])
	}
	if got := sqlRows(t, tgt.path, `SELECT userId FROM tblChat WHERE content = 'a notice from the system'`); len(got) != 1 || got[0] != "1" {
		t.Fatalf("the system's message is the target's prinID %q's, want 1", got)
	}
	handVerify(t, src, tgt, arc).want(t, "EQUAL")

	execPool(t, tgt, `UPDATE tblChat SET userId = (SELECT prinID FROM tblPrincipal WHERE prinGuid = '`+handGUID(1)+`') WHERE content = 'a notice from the system'`)
	v := handVerify(t, src, tgt, arc)
	v.want(t, "DIFFERENT")
	v.wantText(t, "poster ma-sys:pchat-2019 in the source, sip:user1@contoso.com in the target")
}

// TestVerifyHandPrincipalDisabledAfterTheExport: the source's user 5 was
// active when exported, and the import matched it by URI with the
// target's active user 5' (another GUID). AD Sync disabled user 5 in the
// source since. The import matched by the archive's principals, so verify
// with the archive judges by them: EQUAL (it said DIFFERENT, judging by
// the source's state now). Without the archive it has only the source's
// principals as they are now, and says DIFFERENT.
func TestVerifyHandPrincipalDisabledAfterTheExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	u5 := src.user(5)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{u5}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{u5}})
	src.post(r, msg(u5, 0, "hello"))
	tgt := newHandPool(t, dir, "target")
	tgt.prin(handGUID(95), "sip:user5@contoso.com", pchat.Active)
	arc := handMigrate(t, dir, src, tgt)
	if got := sqlRows(t, tgt.path, `SELECT COUNT(*) FROM tblPrincipal WHERE prinUri = 'sip:user5@contoso.com'`); got[0] != "1" {
		t.Fatalf("the target holds %s principals of user 5's address, want 1 (matched by URI)", got[0])
	}
	handVerify(t, src, tgt, arc).want(t, "EQUAL")
	execPool(t, src, `UPDATE tblPrincipal SET prinDisabled = 1 WHERE prinGuid = '`+handGUID(5)+`'`)
	handVerify(t, src, tgt, arc).want(t, "EQUAL")
	handVerify(t, src, tgt, "").want(t, "DIFFERENT")
}
