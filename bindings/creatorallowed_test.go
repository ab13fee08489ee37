package bindings_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
)

// The import and creator.carry_over decide by one rule whether a principal
// is allowed in a category: by its memberships in the target as they are
// after the import (tblPrincipalAffiliations, which the server evaluates
// and AD Sync maintains, with what the import writes for the principals it
// creates), never by the archive's memberships of a principal matched with
// one the target had by address (another AD object). Each case is a lab estate changed by hand: the
// source's creator is allowed in its category only through a group, and
// the target holds a principal of the creator's address (another GUID),
// which the import matches it with by URI.

// groupCreatorLab is a lab estate and a creator of its source who is not a
// direct allowed member of the category but is through a group (allowed,
// active) the creator belongs to.
func groupCreatorLab(t *testing.T) (l *creatorLab, group []string) {
	t.Helper()
	dir := newLab(t, smallLab(1))
	l = &creatorLab{dir: dir, src: filepath.Join(dir, "source-2015.db"), tgt: filepath.Join(dir, "target-2019.db")}
	rows := labtest.QuerySQLite(t, l.src, `SELECT n.nodeName, p.prinUri, p.prinGuid, g.prinID, g.prinGuid, g.prinUri, g.prinTypeID
		FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID JOIN tblNode n ON n.nodeID = r.prinRoleNodeID
		JOIN tblScopePrincipal s ON s.scopeNodeID = n.nodeID AND s.scopeIsDenied = 0
		JOIN tblPrincipalAffiliations a ON a.principalID = p.prinID AND a.affiliationID = s.scopePrinID
		JOIN tblPrincipal g ON g.prinID = s.scopePrinID
		WHERE r.prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator') AND p.prinDisabled = 0
		AND g.prinID <> p.prinID AND g.prinDisabled = 0
		AND NOT EXISTS (SELECT 1 FROM tblScopePrincipal d WHERE d.scopeNodeID = n.nodeID AND d.scopePrinID = p.prinID)
		ORDER BY n.nodeID, p.prinID, g.prinID LIMIT 1`)
	if len(rows) != 1 {
		t.Fatal("the lab has no active creator allowed in its category only through a group")
	}
	l.cat, l.uri, l.guid = rows[0][0], rows[0][1], strings.ToLower(rows[0][2])
	return l, rows[0][3:]
}

func TestImportAndCarryOverAllowByTheTargetsMemberships(t *testing.T) {
	t.Parallel()
	other := "0badc0de-0000-4000-8000-0000000000c1"
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, l *creatorLab, group []string)
		// holder is the GUID of the target's principal the creator is
		// matched with: other, or "guid" for the creator's own.
		holder string
		want   bool // the target's principal is a creator after the import, and after carry_over
	}{
		// The archive's creator is in the category's allowed group, the
		// target's principal of its address is not: the server refuses
		// the role. The import granted it (by the archive's memberships);
		// carry_over refused it.
		{"the target's principal of the address is not in the allowed group", func(t *testing.T, l *creatorLab, _ []string) {
			addPrincipals(t, l.tgt, pchat.Principal{GUID: other, URI: l.uri})
		}, "", false},
		// Matched by GUID, the same AD object, which the target pool had
		// cached without its groups (a user who signed in to it before
		// the migration): the import writes the archive's memberships of
		// the same AD object that the target lacks, so the role is
		// allowed and kept. Before, the user lost it.
		{"the target's principal of the creator's GUID is not in the allowed group", func(t *testing.T, l *creatorLab, _ []string) {
			addPrincipals(t, l.tgt, pchat.Principal{GUID: l.guid, URI: l.uri})
		}, "guid", true},
		// The other way round: AD Sync of the target put its principal
		// in the group; the source's creator left the category's allowed
		// groups after being made creator. The server allows the role. The import refused it;
		// carry_over granted it.
		{"only the target's principal of the address is in the allowed group", func(t *testing.T, l *creatorLab, group []string) {
			labtest.ExecSQLite(t, l.src, `DELETE FROM tblPrincipalAffiliations WHERE affiliationID IN (SELECT s.scopePrinID FROM tblScopePrincipal s
				JOIN tblNode n ON n.nodeID = s.scopeNodeID WHERE n.nodeName = '`+l.cat+`' AND s.scopeIsDenied = 0)
				AND principalID = (SELECT prinID FROM tblPrincipal WHERE prinGuid = '`+l.guid+`')`)
			labtest.ExecSQLite(t, l.tgt,
				`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
				VALUES (900000, '`+group[1]+`', '`+group[2]+`', 'group', 0, `+group[3]+`, 1, 1, '2015-01-01T00:00:00.000Z'),
				(900001, '`+other+`', '`+l.uri+`', 'user', 0, 5, 1, 1, '2015-01-01T00:00:00.000Z')`,
				`INSERT INTO tblPrincipalAffiliations (principalID, affiliationID, "index", updatedBy) VALUES (900001, 900000, 1, 1)`)
		}, "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l, group := groupCreatorLab(t)
			c.setup(t, l, group)
			other := other
			if c.holder == "guid" {
				other = l.guid
			}
			out := l.run(t, migrateLua)
			if got := slices.Contains(l.creatorGUIDs(t), other); got != c.want {
				t.Errorf("after the import the target's %s (matched with %s) is a creator of %q: %v, want %v\n%s", other, l.uri, l.cat, got, c.want, out)
			}
			l.dropCreator(t, other)
			out = l.run(t, carryLua)
			if got := slices.Contains(l.creatorGUIDs(t), other); got != c.want {
				t.Errorf("after carry_over the target's %s (matched with %s) is a creator of %q: %v, want %v\n%s", other, l.uri, l.cat, got, c.want, out)
			}
			// verify judges by the same rule: no role of the creator is
			// a difference.
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "difference: ") && strings.Contains(line, l.uri) {
					t.Errorf("verify after carry_over: %s", line)
				}
			}
		})
	}
}
