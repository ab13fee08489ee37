package store

import (
	"strings"
	"testing"
)

// noCategoryStart is noCategorySQL up to its parameter, which a SQL Server
// is sent as @p1.
var noCategoryStart = noCategorySQL[:strings.Index(noCategorySQL, "?")]

// TestDoctorSQLServerSourceExportLines: as a source, the doctor asks a SQL
// Server for the principal types an archive cannot hold and the rooms in
// no category (with the root's node ID), and a clean pool gets no line
// for either; as a target it does not ask.
func TestDoctorSQLServerSourceExportLines(t *testing.T) {
	for _, role := range []string{RoleSource, RoleTarget} {
		r, rec := runFakeDoctor(t, fakeDoctorServer{}, DoctorOptions{Role: role})
		asked := map[string]bool{}
		for _, c := range rec.Calls() {
			if c.Op == "query" {
				asked[c.Query] = true
				if strings.HasPrefix(c.Query, noCategoryStart) {
					asked[noCategorySQL] = true
				}
			}
		}
		if want := role == RoleSource; asked[exportTypesSQL] != want || asked[noCategorySQL] != want {
			t.Errorf("%s: asked for the principal types %v and the rooms in no category %v, want %v", role, asked[exportTypesSQL], asked[noCategorySQL], want)
		}
		for _, c := range r.Checks {
			if c.Check == "principals" || c.Check == "rooms" {
				t.Errorf("%s: a clean pool got a %s line: %s", role, c.Check, c.Message)
			}
		}
	}
}
