package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// categoryCreatorRows counts the creator roles on the categories of the
// embedded database at path.
const categoryCreatorRows = `SELECT COUNT(*) FROM tblPrincipalRole r JOIN tblNode n ON n.nodeID = r.prinRoleNodeID
	WHERE r.prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator') AND n.nodeType = 1`

// TestRunCreatorsLineSaysCarriedApartFromTheEstates: step 8 of migrate.lua
// ("carry the category creators over") counts the creators it carried
// over from the source apart from those the estate's creators list added.
// The run is stopped in step 3, after the import; the target's category
// creators are then removed (as a cmdlet import may drop them), so that
// the resumed run's step 8 carries the source's over again and adds the
// estate's. Before, the line gave one total with the estate's share in
// brackets ("4 creators added (2 from the estate's creators list)"), and
// the creators carried over from the source were nowhere counted.
func TestRunCreatorsLineSaysCarriedApartFromTheEstates(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	est, tgt := filepath.Join(dir, "estate.lua"), filepath.Join(dir, "target-2019.db")
	code, stdout, stderr := runCancelledAt(t, "INFO copy files:", "run", "--estate", est)
	if code != exitError {
		t.Fatalf("run stopped in step 3: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	dropped := queryInt(t, openDB(t, tgt), categoryCreatorRows)
	if dropped == 0 {
		t.Fatal("the import gave the target's categories no creator")
	}
	labtest.ExecSQLite(t, tgt, `DELETE FROM tblPrincipalRole WHERE prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator')
		AND prinRoleNodeID IN (SELECT nodeID FROM tblNode WHERE nodeType = 1)`)

	stdout, _ = mustRun(t, 0, "run", "--estate", est, "--resume")
	mustContain(t, "resumed run", stdout, "EQUAL")
	fromEstate := queryInt(t, openDB(t, tgt), categoryCreatorRows) - dropped
	if fromEstate <= 0 {
		t.Fatalf("the estate's creators list added no creator (%d)\n%s", fromEstate, stdout)
	}
	want := fmt.Sprintf("%d creators carried over from the source, %d added from the estate's creators list; 0 not allowed in their category (reported, not added)", dropped, fromEstate)
	mustContain(t, "resumed run", stdout, want)

	// A run again finds the source's creators there and carries none.
	stdout, _ = mustRun(t, 0, "run", "--estate", est)
	m := regexp.MustCompile(`0 creators carried over from the source \((\d+) were there already\), 0 added from the estate's creators list;`).FindStringSubmatch(stdout)
	if m == nil || m[1] != strconv.FormatInt(dropped, 10) {
		t.Errorf("run again: want 0 carried over (%d there already), 0 from the estate's list:\n%s", dropped, stdout)
	}
}
