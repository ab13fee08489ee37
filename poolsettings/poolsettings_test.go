package poolsettings

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCarry(t *testing.T) {
	s := Lab("pchat15.contoso.com", "contoso.com")
	changes := s.Carry("pchat15.contoso.com", "pchat19.contoso.com")
	var got []string
	for _, c := range changes {
		got = append(got, c.Kind+" "+c.Object+" "+c.Action)
	}
	want := []string{
		"compliance service:PersistentChatServer:pchat19.contoso.com create",
		"configuration service:PersistentChatServer:pchat19.contoso.com create",
		"endpoint sip:ocschat@contoso.com move",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Carry mismatch (-want +got):\n%s", diff)
	}
	if s.Endpoints[0].Pool != "pchat19.contoso.com" || s.Endpoints[0].SipAddress != "sip:ocschat@contoso.com" {
		t.Errorf("endpoint after the carry: %+v", s.Endpoints[0])
	}
	// Saved and loaded, a second carry changes nothing.
	path := filepath.Join(t.TempDir(), "pool-settings.json")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range back.Carry("pchat15.contoso.com", "pchat19.contoso.com") {
		if c.Action != "unchanged" {
			t.Errorf("second carry: %+v", c)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nope.json")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}
