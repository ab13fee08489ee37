package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// go-mssqldb returns a bit column (tblNode.nodeType) as a bool, and
// database/sql cannot scan a bool into an integer ("converting
// driver.Value type bool ("true") to a int: invalid syntax"). Three reads
// of SQL Server scanned nodeType into an int and failed on a real server
// wherever they found a row; the stand-in server answered nodeType with the
// embedded database's integer, so no test saw it. The stand-in now answers
// bit columns as go-mssqldb does (tsqlshim_test.go, bitColumns).

// TestSQLServerScopeRoomsReadsNodeTypeAsBit: ScopeRooms (doctor --estate's
// import size for a scoped export, pool.copy_files' scope) finds the rooms
// of a category on SQL Server. Failed before: the scan of nodeType.
func TestSQLServerScopeRoomsReadsNodeTypeAsBit(t *testing.T) {
	s, _ := unpairedLab(t, "")
	rooms, err := s.ScopeRooms(t.Context(), []string{"Engineering"})
	if err != nil {
		t.Fatalf("ScopeRooms on SQL Server: %v", err)
	}
	slices.Sort(rooms)
	if want := []int32{4, 6, 7}; !slices.Equal(rooms, want) {
		t.Errorf("rooms of Engineering: %v, want %v", rooms, want)
	}
	// The lab's 120 messages are in room 6, Engineering's.
	if _, msgs, err := store.MessageSizeIn(t.Context(), s, []string{"Engineering"}); err != nil || msgs != 120 {
		t.Errorf("the scoped import size: %d messages, %v; want 120", msgs, err)
	}
	if _, msgs, err := store.MessageSizeIn(t.Context(), s, []string{"Sales"}); err != nil || msgs != 0 {
		t.Errorf("the scoped import size: %d messages, %v; want 0", msgs, err)
	}
}

// TestSQLServerDoctorNamesNodesReadingNodeTypeAsBit: the doctor's
// "uncarried roles" line names a room holding a creator grant by its
// name, and its "empty names" line names a room whose name is blank.
// Failed before: both lines said "could not check" (the scan of
// nodeType).
func TestSQLServerDoctorNamesNodesReadingNodeTypeAsBit(t *testing.T) {
	s, _ := unpairedLab(t, `
INSERT INTO tblPrincipalRole (prinRoleNodeID, prinRolePrinID, prinRoleTypeID, prinRoleUpdatedBy)
  SELECT 4, MIN(prinID), 4, 1 FROM tblPrincipal WHERE prinTypeID = 5;
UPDATE tblNode SET nodeName = '   ' WHERE nodeID = 5;`)
	r, err := store.DoctorStore(t.Context(), s, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	var roles, names bool
	var all strings.Builder
	for _, c := range r.Checks {
		all.WriteString(c.Status + " " + c.Check + ": " + c.Message + "\n")
		roles = roles || c.Check == "uncarried roles" && strings.Contains(c.Message, `room "Help Desk Tier 2" (nodeID 4): 1 creator`)
		names = names || c.Check == "empty names" && strings.Contains(c.Message, "tblNode nodeID 5 (a room): nodeName")
	}
	if !roles || !names {
		t.Errorf("the doctor names the room with a creator grant: %v, the room with a blank name: %v\n%s", roles, names, all.String())
	}
}
