package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestVerifyNamesAnArchivePrincipalTheTargetLacks: after a migration, a
// user the import created (one with no role, entry or message, only group
// memberships) is removed from the target. The import creates every
// principal of the archive it matches with none of the target's, so the
// target lacks something meant to arrive: verify says DIFFERENT and names
// the principal by URI and GUID; the run's own reconciliation is EQUAL
// before.
func TestVerifyNamesAnArchivePrincipalTheTargetLacks(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "500")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	tgt := filepath.Join(dir, "target-2019.db")
	rows := labtest.QuerySQLite(t, tgt, `SELECT prinID, prinUri, prinGuid FROM tblPrincipal p WHERE prinTypeID = 5 AND prinDisabled = 0
		AND NOT EXISTS (SELECT 1 FROM tblPrincipalRole WHERE prinRolePrinID = p.prinID)
		AND NOT EXISTS (SELECT 1 FROM tblScopePrincipal WHERE scopePrinID = p.prinID)
		AND NOT EXISTS (SELECT 1 FROM tblChat WHERE userId = p.prinID)
		AND prinUri <> 'sip:pcadmin@contoso.com' ORDER BY prinID LIMIT 1`)
	if len(rows) != 1 {
		t.Fatalf("no user principal without roles, entries or messages in the lab's target: %v", rows)
	}
	id, uri, guid := rows[0][0], rows[0][1], rows[0][2]
	labtest.ExecSQLite(t, tgt,
		`DELETE FROM tblPrincipalAffiliations WHERE principalID = `+id+` OR affiliationID = `+id,
		`DELETE FROM tblPrincipal WHERE prinID = `+id)
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout, "difference: principal "+uri+" (GUID "+guid+"): in the archive, not in the target", "DIFFERENT: 1 difference ")
}

// TestVerifyShowsALookAlikeNameInCodePoints: after a migration, a room's
// name is changed in the target to one that prints alike (a Cyrillic е for
// the Latin e) and a category's description gets a decomposed ü (u and a
// combining diaeresis) for the source's ü. verify said DIFFERENT, quoting
// two texts that print the same: it now names the code points where they
// part.
func TestVerifyShowsALookAlikeNameInCodePoints(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "500")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	tgt := filepath.Join(dir, "target-2019.db")
	rows := labtest.QuerySQLite(t, tgt, `SELECT nodeID, nodeName FROM tblNode WHERE nodeType = 0 AND instr(nodeName, 'e') > 0 ORDER BY nodeID LIMIT 1`)
	if len(rows) != 1 {
		t.Fatalf("no room with an e in its name in the lab's target: %v", rows)
	}
	cats := labtest.QuerySQLite(t, tgt, `SELECT nodeName FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID ORDER BY nodeID LIMIT 1`)
	if len(cats) != 1 {
		t.Fatalf("no category in the lab's target: %v", cats)
	}
	cat := strings.ReplaceAll(cats[0][0], "'", "''")
	labtest.ExecSQLite(t, tgt,
		`UPDATE tblNode SET nodeName = substr(nodeName, 1, instr(nodeName, 'e') - 1) || char(1077) || substr(nodeName, instr(nodeName, 'e') + 1) WHERE nodeID = `+rows[0][0],
		`UPDATE tblNode SET nodeDesc = 'Zu' || char(776) || 'rich' WHERE nodeType = 1 AND nodeName = '`+cat+`'`)
	labtest.ExecSQLite(t, filepath.Join(dir, "source-2015.db"), `UPDATE tblNode SET nodeDesc = 'Zürich' WHERE nodeType = 1 AND nodeName = '`+cat+`'`)
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout, "difference: room "+rows[0][1]+": named ", " expected (the target has U+0435 where U+0065 is expected)",
		`in the target (the target has U+0075 U+0308 where U+00FC is expected)`)
}

// TestVerifyNamesACreatedPrincipalOfAnotherKind: after a migration, a user
// the import created is recorded in the target as a group (its prinTypeID
// changed). The target's principal of an archive principal's GUID is the
// same AD object, whose kind AD never changes (the import creates each
// principal with the archive's kind), and Persistent Chat decides by it
// whom a role or an allowed member reaches (a user, or a group's members):
// verify was EQUAL, as it compared roles by URI only. Now it names the
// principal and both kinds.
func TestVerifyNamesACreatedPrincipalOfAnotherKind(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "500")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	tgt := filepath.Join(dir, "target-2019.db")
	rows := labtest.QuerySQLite(t, tgt, `SELECT prinID, prinUri, prinGuid FROM tblPrincipal p WHERE prinTypeID = 5 AND prinDisabled = 0
		AND EXISTS (SELECT 1 FROM tblPrincipalRole WHERE prinRolePrinID = p.prinID) ORDER BY prinID LIMIT 1`)
	if len(rows) != 1 {
		t.Fatalf("no user principal with a role in the lab's target: %v", rows)
	}
	labtest.ExecSQLite(t, tgt, `UPDATE tblPrincipal SET prinTypeID = 9 WHERE prinID = `+rows[0][0])
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout, "difference: principal "+rows[0][1]+" (GUID "+rows[0][2]+"): a Group in the target, a User in the archive", "DIFFERENT: 1 difference ")
}

// TestVerifyNamesARoomWhoseChatCounterIsBehind: after a migration, one
// room's tblLastChatId is set back to 1 and another's row is removed, as an
// import that wrote the messages and not their counter would leave them.
// Persistent Chat gives a new message the chat ID after the counter, so
// neither room takes a new message: verify was EQUAL (only the doctor
// warned). Now each is a difference.
func TestVerifyNamesARoomWhoseChatCounterIsBehind(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "500")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	tgt := filepath.Join(dir, "target-2019.db")
	rows := labtest.QuerySQLite(t, tgt, `SELECT n.nodeID, n.nodeName, MAX(c.chatId) FROM tblNode n JOIN tblChat c ON c.channelId = n.nodeID
		GROUP BY n.nodeID, n.nodeName HAVING MAX(c.chatId) > 1 ORDER BY n.nodeID LIMIT 2`)
	if len(rows) != 2 {
		t.Fatalf("no two rooms with more than one message in the lab's target: %v", rows)
	}
	labtest.ExecSQLite(t, tgt,
		`UPDATE tblLastChatId SET lastChatID = 1 WHERE nodeID = `+rows[0][0],
		`DELETE FROM tblLastChatId WHERE nodeID = `+rows[1][0])
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout,
		"difference: room "+rows[0][1]+": tblLastChatId holds 1, while its messages hold chat IDs up to "+rows[0][2]+":",
		"difference: room "+rows[1][1]+": no tblLastChatId row (or 0), while its messages hold chat IDs up to "+rows[1][2]+":",
		"DIFFERENT: 2 differences ")
}
