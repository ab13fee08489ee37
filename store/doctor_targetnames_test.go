package store

import (
	"strings"
	"testing"
)

// TestDoctorNamesAsTheTargetCompares: the import compares an archive's
// names as the target's collation does. A case-sensitive source holding
// "Sales" and "sales" passes its own names check, and a case-insensitive
// target then refuses the import: given the target's collation, the
// source's doctor fails, naming the rooms that collide in the target.
func TestDoctorNamesAsTheTargetCompares(t *testing.T) {
	cs := ParseCollation("Latin1_General_CS_AS")
	cat := fakeCatalog{dbCollation: cs.Name, text: map[string]fakeCollation{"tblNode.nodeName": {name: cs.Name, codePage: 1252, style: styleOf(cs)}}}
	f := fakeDoctorServer{cat: cat, dupRooms: true}
	target := ParseCollation("Latin1_General_CI_AS")
	r, _ := runFakeDoctor(t, f, DoctorOptions{Role: RoleSource, TargetNames: &target})
	want := `as the target compares names (Latin1_General_CI_AS), 2 rooms share 1 name (room names are unique in a pool, across categories): "Sales" (in "Finance"), "sales" (in "Support")`
	if !findLine(r, DoctorFail, want) {
		t.Errorf("no FAIL line saying %q:\n%s", want, reportText(r))
	}
	// The pair the source's own collation finds is not named twice.
	for _, c := range r.Checks {
		if c.Check == "names" && strings.Count(c.Message, `"Twin Room" (in "Finance")`) != 1 {
			t.Errorf("the Twin Rooms are named %d times: %s", strings.Count(c.Message, `"Twin Room" (in "Finance")`), c.Message)
		}
	}
	// A target as case-sensitive as the source finds nothing more.
	same := ParseCollation("Latin1_General_CS_AS")
	r, _ = runFakeDoctor(t, f, DoctorOptions{Role: RoleSource, TargetNames: &same})
	for _, c := range r.Checks {
		if c.Check == "names" && strings.Contains(c.Message, "as the target compares") {
			t.Errorf("a target with the source's collation adds a collision: %s", c.Message)
		}
	}
	// Without the target's collation (it could not be opened), the check is the source's own.
	r, _ = runFakeDoctor(t, fakeDoctorServer{cat: cat}, DoctorOptions{Role: RoleSource})
	if !findLine(r, DoctorOK, "every category name and every room name is held once") {
		t.Errorf("the source-only check changed:\n%s", reportText(r))
	}
}
