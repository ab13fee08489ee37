package main

import (
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// TestVerifyHandDisabledHistoryGivenToAddressOwner: the source's user 2
// is disabled; the target holds an active user 2' with the same address
// and another GUID (the address now someone else's). The import never
// matches a disabled principal by URI: it brings user 2 as a principal of
// its own. A target where user 2 is missing and user 2's message and
// membership belong to user 2' instead (what an import that matched by URI
// would leave) did not receive what the source holds: DIFFERENT, not
// EQUAL.
func TestVerifyHandDisabledHistoryGivenToAddressOwner(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newHandPool(t, dir, "source")
	u1 := src.user(1)
	u2 := src.prin(handGUID(2), "sip:user2@contoso.com", pchat.Disabled)
	c := src.category(pchat.Category{Name: "Sales", AllowedMembers: []int32{u1, u2}})
	r := src.room(pchat.Room{Name: "Leads", CategoryID: c, Members: []int32{u1, u2}})
	src.post(r, msg(u1, 0, "hello"), msg(u2, 1, "from the disabled"))
	tgt := newHandPool(t, dir, "target")
	tgt.user(1)
	tgt.prin(handGUID(92), "sip:user2@contoso.com", pchat.Active)
	arc := handMigrate(t, dir, src, tgt)
	handVerify(t, src, tgt, arc).want(t, "EQUAL")

	// User 2's history, roles and scope entries given to user 2', and
	// user 2 gone from the target.
	other := `(SELECT prinID FROM tblPrincipal WHERE prinGuid = '` + handGUID(92) + `')`
	mine := `(SELECT prinID FROM tblPrincipal WHERE prinGuid = '` + handGUID(2) + `')`
	execPool(t, tgt,
		`UPDATE tblChat SET userId = `+other+` WHERE userId = `+mine,
		`UPDATE tblPrincipalRole SET prinRolePrinID = `+other+` WHERE prinRolePrinID = `+mine,
		`UPDATE tblScopePrincipal SET scopePrinID = `+other+` WHERE scopePrinID = `+mine,
		`DELETE FROM tblPrincipalAffiliations WHERE principalID = `+mine+` OR affiliationID = `+mine,
		`DELETE FROM tblPrincipal WHERE prinGuid = '`+handGUID(2)+`'`)
	handVerify(t, src, tgt, arc).want(t, "DIFFERENT")
}
