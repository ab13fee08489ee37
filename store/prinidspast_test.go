package store

import "testing"

// TestPrincipalIDsPastLargest: the import's pre-flight asks whether its
// new principals fit tblPrincipal.prinID (an int): past MAX(prinID) where
// the store gives the IDs, past IDENT_CURRENT by IDENT_INCR where prinID
// is an IDENTITY column.
func TestPrincipalIDsPastLargest(t *testing.T) {
	const top = 2147483647
	for _, tt := range []struct {
		name string
		f    fakeServer
		n    int
		want string // "" fits
	}{
		{"plain: fits", fakeServer{prinMax: top - 3}, 3, ""},
		{"plain: past", fakeServer{prinMax: top - 3}, 4,
			"the largest prinID in use is 2147483644, and tblPrincipal.prinID (an int) ends at 2147483647: 3 more principals fit"},
		{"identity: fits though the IDs in use are high", fakeServer{identity: map[string]bool{"tblPrincipal": true}, prinMax: top, identCurrent: 100, identIncr: 1}, 5, ""},
		{"identity: past by its increment", fakeServer{identity: map[string]bool{"tblPrincipal": true}, identCurrent: top - 10, identIncr: 5}, 3,
			"tblPrincipal.prinID's identity is at 2147483637 (IDENT_CURRENT, increment 5), and the int column ends at 2147483647: 2 more principals fit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			s, _ := openServer(t, &f)
			got, err := s.PrincipalIDsPastLargest(t.Context(), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PrincipalIDsPastLargest(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}
