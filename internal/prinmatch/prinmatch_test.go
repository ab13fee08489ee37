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
		{ID: 3, GUID: "g3", URI: "sip:PAT@x"}, // the same address: not the first of it
		{ID: 4, GUID: "g4", URI: "sip:gone@x", State: pchat.Deleted},
		{ID: 5, GUID: "g5", URI: "sip:lee@x"},
		{ID: 6, GUID: "g6", URI: "sip:old@x"},
	}
	tg := NewTarget(target, strings.ToLower)
	active := func(guid, uri string) Principal { return Principal{GUID: guid, URI: uri} }
	for _, c := range []struct {
		name string
		arc  []Principal
		want []Match
	}{
		{"by GUID, whatever the URI or state", []Principal{{GUID: "g4", URI: "sip:other@x", State: pchat.Disabled}}, []Match{{4, ByGUID}}},
		{"by URI: the first principal of the address", []Principal{active("a1", "sip:Pat@x")}, []Match{{2, ByURI}}},
		{"not by URI: two of the archive's principals have it", []Principal{active("a1", "sip:pat@x"), active("a2", "sip:PAT@x")}, []Match{{}, {}}},
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
