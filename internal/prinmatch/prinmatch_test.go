package prinmatch

import (
	"strings"
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// Each step of the rule, with the case that keeps it from matching.
func TestMatch(t *testing.T) {
	t.Parallel()
	target := []pchat.Principal{
		{ID: 1, GUID: "s", URI: "ma-sys:target", Type: pchat.TypeSystemUser},
		{ID: 2, GUID: "g2", URI: "sip:pat@x"},
		{ID: 3, GUID: "g3", URI: "sip:PAT@x"}, // the same address, active too
		{ID: 4, GUID: "g4", URI: "sip:gone@x", State: pchat.Deleted},
		{ID: 5, GUID: "g5", URI: "sip:lee@x"},
		{ID: 6, GUID: "g6", URI: "sip:old@x"},
		{ID: 7, GUID: "g7", URI: "sip:kim@x", State: pchat.Deleted}, // a former holder of kim's address
		{ID: 8, GUID: "g8", URI: "sip:Kim@x"},
		{ID: 9, GUID: "g9", URI: "sip:ann@x", State: pchat.Disabled},
	}
	tg := NewTarget(target, strings.ToLower)
	active := func(guid, uri string) Principal { return Principal{GUID: guid, URI: uri} }
	for _, c := range []struct {
		name string
		arc  []Principal
		want []Match
	}{
		{"by GUID, whatever the URI or state", []Principal{{GUID: "g4", URI: "sip:other@x", State: pchat.Disabled}}, []Match{{4, ByGUID}}},
		{"by URI: the one active principal of the address", []Principal{active("a1", "sip:lee@x")}, []Match{{5, ByURI}}},
		{"by URI: the target's deleted principal of the address is no candidate", []Principal{active("a1", "sip:kim@x")}, []Match{{8, ByURI}}},
		{"by URI: the archive's deleted principal of the address is a former holder", []Principal{
			{GUID: "a0", URI: "sip:KIM@x", State: pchat.Deleted}, active("a1", "sip:kim@x"), {GUID: "a2", URI: "sip:kim@x", State: pchat.Disabled}},
			[]Match{{}, {8, ByURI}, {}}},
		{"not by URI: the target holds two active principals of the address", []Principal{active("a1", "sip:Pat@x")}, []Match{{}}},
		{"not by URI: two of the archive's active principals have it", []Principal{active("a1", "sip:lee@x"), active("a2", "sip:LEE@x")}, []Match{{}, {}}},
		{"not by URI: the target's principal of it is disabled", []Principal{active("a1", "sip:ann@x")}, []Match{{}}},
		{"not by URI: the one active target principal is another's by GUID, even a deleted one's", []Principal{
			{GUID: "g8", URI: "sip:kim.new@x", State: pchat.Deleted}, active("a1", "sip:kim@x")}, []Match{{8, ByGUID}, {}}},
		{"not by URI: the target's principal of it is another's by GUID", []Principal{active("g6", "sip:new@x"), active("a2", "sip:old@x")}, []Match{{6, ByGUID}, {}}},
		{"not by URI: the archive's principal is disabled", []Principal{{GUID: "a1", URI: "sip:lee@x", State: pchat.Disabled}}, []Match{{}}},
		{"not by URI: the target's principal is deleted", []Principal{active("a1", "sip:gone@x")}, []Match{{}}},
		{"a system user: the target's", []Principal{{GUID: "s2", URI: "ma-sys:source", System: true}}, []Match{{pchat.SystemUserID, System}}},
		{"a system user by URI first", []Principal{{GUID: "s2", URI: "sip:lee@x", System: true}}, []Match{{5, ByURI}}},
		{"none", []Principal{active("a1", "sip:new@x")}, []Match{{}}},
	} {
		got := tg.Match(c.arc)
		for i := range c.want {
			if got[i] != c.want[i] {
				t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
				break
			}
		}
	}
}
