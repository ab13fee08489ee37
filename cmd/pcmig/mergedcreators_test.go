package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// mergedCreatorEstate is a lab estate whose target already holds a category
// of the name of a source category C (another GUID, so the migration merges
// into it) and the principal of one of C's creators, X (the same GUID: the
// same AD object). entry is X's entry in the source category ("allowed" or
// "denied"), target X's entry in the target's category; with otherGUID
// the target's X is another AD object of X's address (another GUID), which
// the import matches X with by address. It returns the estate's folder,
// C's name and X's URI.
func mergedCreatorEstate(t *testing.T, source, target string, otherGUID bool) (dir, cat, uri string) {
	t.Helper()
	dir = labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	rows := sqlRows(t, src, `SELECT n.nodeID, n.nodeName, p.prinID, p.prinUri, p.prinGuid, p.prinName, p.prinTypeID
		FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID JOIN tblNode n ON n.nodeID = r.prinRoleNodeID
		JOIN tblScopePrincipal s ON s.scopeNodeID = n.nodeID AND s.scopePrinID = p.prinID AND s.scopeIsDenied = 0
		WHERE r.prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator') AND p.prinDisabled = 0
		ORDER BY n.nodeID, p.prinID LIMIT 1`)
	if len(rows) != 1 {
		t.Fatal("the lab has no active creator who is a direct allowed member of the category")
	}
	f := strings.Split(rows[0], "|")
	catID, prinID := f[0], f[2]
	cat, uri = f[1], f[3]
	if source == "denied" {
		// Real pools hold creators their category denies: the server
		// checks the lists when a role is granted, not later.
		labtest.ExecSQLite(t, src, `UPDATE tblScopePrincipal SET scopeIsDenied = 1 WHERE scopeNodeID = `+catID+` AND scopePrinID = `+prinID)
	}
	guid := f[4]
	if otherGUID {
		guid = "0badc0de-0000-4000-8000-0000000000c1"
	}
	labtest.ExecSQLite(t, tgt, `INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
		VALUES (900001, '`+guid+`', '`+uri+`', '`+f[5]+`', 0, `+f[6]+`, 1, 1, '2015-01-01T00:00:00.000Z')`)
	script := filepath.Join(dir, "own-category.lua")
	writeFile(t, script, `require("category").create("target", { name = "`+cat+`", `+target+`_members = { "`+uri+`" } })`+"\n")
	mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"), script)
	if err := os.RemoveAll(filepath.Join(dir, ".pcmig")); err != nil {
		t.Fatal(err)
	}
	return dir, cat, uri
}

// On a category merged into the target's category of its name, the
// target's lists (with the archive's entries the import adds) govern who
// may be a creator, for the import and for creator.carry_over alike: a
// creator the archive's category denies and the target's allows is
// granted by the import (the target's entry is kept), and one the
// target's category denies is refused by both, and the run says which
// and why. Before, the import refused the first ("not granted") and
// carry_over then added it.
func TestRunMergedCategoryCreatorsByTheTargetsLists(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		otherGUID bool
	}{{"denied in the archive, allowed in the target", false}, {"denied in the archive, allowed in the target under another GUID", true}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, cat, uri := mergedCreatorEstate(t, "denied", "allowed", c.otherGUID)
			est := filepath.Join(dir, "estate.lua")
			stdout, stderr := mustRun(t, 0, "run", "--estate", est)
			mustContain(t, "run", stderr, uri+" is denied in the archive but allowed in the target; the target's entry is kept")
			if strings.Contains(stderr, "creator "+uri) || strings.Contains(stderr, uri+" is not within") {
				t.Errorf("the run refused creator %s of %q, whom the target's category allows:\n%s", uri, cat, stderr)
			}
			mustContain(t, "run", stdout, "; 0 not allowed in their category")
			if got := targetCreators(t, dir)[cat]; !strings.Contains(got, uri) {
				t.Errorf("target category %q: creators %q lack %s", cat, got, uri)
			}
			// The import granted it: carry_over found it there.
			mustContain(t, "run", stderr, "creators: every creator of")
		})
	}
	t.Run("allowed in the archive, denied in the target", func(t *testing.T) {
		t.Parallel()
		dir, cat, uri := mergedCreatorEstate(t, "allowed", "denied", false)
		est := filepath.Join(dir, "estate.lua")
		stdout, stderr := mustRun(t, 0, "run", "--estate", est)
		mustContain(t, "run", stderr,
			`category `+cat+`: `+uri+` is allowed in the archive but denied in the target; the target's entry is kept`,
			`category `+cat+`: creator `+uri+` is not within category "`+cat+`"'s allowed members minus denied members (`+uri+
				` is a denied member of the target's category, whose lists govern when the import merges into it): not granted`,
			`category "`+cat+`": `+uri+` is not within the allowed members minus denied members (`+uri+` is a denied member); not added as creator`)
		mustContain(t, "run", stdout, "; 1 not allowed in their category")
		if got := targetCreators(t, dir)[cat]; strings.Contains(got, uri) {
			t.Errorf("target category %q: creators %q hold %s, whom it denies", cat, got, uri)
		}
	})
}
