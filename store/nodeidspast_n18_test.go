package store

import (
	"strings"
	"testing"
)

// TestNodeIDsPastLargest: the import's pre-flight asks whether its new
// categories and rooms fit tblNode.nodeID (an int) before anything is
// written. Where the store gives node IDs (a plain int column) they
// follow the highest ID in use in tblNode, tblChat.channelId and
// tblLastChatId, read without the write locks of the allocation; where
// nodeID is an IDENTITY column the server gives them from IDENT_CURRENT
// by IDENT_INCR, whatever IDs are in use.
func TestNodeIDsPastLargest(t *testing.T) {
	const top = 2147483647
	tests := []struct {
		name     string
		f        fakeServer
		n        int
		want     string // "" fits
		wantRead string // a part of the query sent
	}{
		{"plain: fits", fakeServer{nodeMax: 10, chatMax: top - 3, lastMax: 20}, 3, "", "FROM tblLastChatId"},
		{"plain: history's channel ID is the largest", fakeServer{nodeMax: 10, chatMax: top - 3, lastMax: 20}, 4,
			"the largest node ID in use is 2147483644 (tblNode, tblChat and tblLastChatId), and tblNode.nodeID (an int) ends at 2147483647: 3 more nodes fit", "FROM tblChat"},
		{"identity: fits though the IDs in use are high", fakeServer{identity: map[string]bool{"tblNode": true}, nodeMax: top, identCurrent: 100, identIncr: 1}, 5, "", "IDENT_CURRENT"},
		{"identity: past by its increment", fakeServer{identity: map[string]bool{"tblNode": true}, identCurrent: top - 10, identIncr: 5}, 3,
			"tblNode.nodeID's identity is at 2147483637 (IDENT_CURRENT, increment 5), and the int column ends at 2147483647: 2 more nodes fit", "IDENT_INCR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			s, rec := openServer(t, &f)
			got, err := s.NodeIDsPastLargest(t.Context(), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("NodeIDsPastLargest(%d) = %q, want %q", tt.n, got, tt.want)
			}
			asked := false
			for _, c := range rec.Calls() {
				if strings.Contains(c.Query, tt.wantRead) {
					asked = true
				}
				if strings.Contains(c.Query, "UPDLOCK") || c.Op == "begin" {
					t.Errorf("the pre-flight read takes write locks or a transaction: %s %q", c.Op, c.Query)
				}
			}
			if !asked {
				t.Errorf("no query with %q: %v", tt.wantRead, rec.Calls())
			}
		})
	}
}
