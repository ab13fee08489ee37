package main

import (
	"os"
	"strings"
	"testing"
)

// TestMultipoolAddsTheEstatesCreators: the estate's creators table
// ("creators to add on top of the source's, per category", docs/estate.md;
// ["*"]: every migrated category) is read by multipool.lua too. It read it
// nowhere: a two-source run added no creator, said "0 creators added", and
// the categories had none of the estate's.
func TestMultipoolAddsTheEstatesCreators(t *testing.T) {
	t.Parallel()
	est, target, _ := sharedSources(t)
	data, err := os.ReadFile(est)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, est, strings.Replace(string(data), `category_policy = "merge",`,
		`category_policy = "merge",
  creators = { ["*"] = { "sip:pcadmin@contoso.com" } },`, 1))
	stdout, _ := mustRun(t, 0, "run", "multipool", "--estate", est)
	cats := queryInt(t, openDB(t, target), `SELECT COUNT(*) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID`)
	with := queryInt(t, openDB(t, target), `SELECT COUNT(DISTINCT r.prinRoleNodeID) FROM tblPrincipalRole r
JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
JOIN tblRoleType rt ON rt.rtypeID = r.prinRoleTypeID
JOIN tblNode n ON n.nodeID = r.prinRoleNodeID
WHERE p.prinUri = 'sip:pcadmin@contoso.com' AND rt.rtypeDesc = 'Creator' AND n.nodeType = 1`)
	if cats == 0 || with != cats {
		t.Errorf("sip:pcadmin@contoso.com is a creator of %d of the target's %d categories, want all\n%s", with, cats, stdout)
	}
	mustContain(t, "multipool", stdout, " carried over from the sources", " added from the estate's creators list;")
}
