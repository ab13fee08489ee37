package poolsettings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/textenc"
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

// TestLoadEncodings: a settings file is read in the encoding its byte
// order mark names (UTF-8, UTF-16 LE or BE) and saved back in it; a UTF-16
// file with an odd number of bytes is refused naming the file.
func TestLoadEncodings(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.json")
	if err := Lab("pchat15.contoso.com", "contoso.com").Save(plain); err != nil {
		t.Fatal(err)
	}
	want, err := Load(plain)
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range []textenc.Envelope{{Enc: textenc.UTF8, BOM: true}, {Enc: textenc.UTF16LE, BOM: true}, {Enc: textenc.UTF16BE, BOM: true}} {
		p := filepath.Join(dir, env.String()+".json")
		if err := os.WriteFile(p, env.Encode(body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Load(p)
		if err != nil {
			t.Errorf("%s: %v", env, err)
			continue
		}
		if got.Encoding() != env.String() || !cmp.Equal(got.Endpoints, want.Endpoints) || !cmp.Equal(got.Configurations, want.Configurations) {
			t.Errorf("%s: read as %s: %+v", env, got.Encoding(), got)
		}
		got.Carry("pchat15.contoso.com", "pchat19.contoso.com")
		if err := got.Save(p); err != nil {
			t.Fatal(err)
		}
		again, err := Load(p)
		if err != nil || again.Encoding() != env.String() || again.Endpoints[0].Pool != "pchat19.contoso.com" {
			t.Errorf("%s: saved and read again: %v, %v", env, again, err)
		}
	}
	odd := filepath.Join(dir, "odd.json")
	if err := os.WriteFile(odd, []byte{0xFF, 0xFE, '{'}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(odd); err == nil || !strings.Contains(err.Error(), odd) {
		t.Errorf("odd UTF-16: %v", err)
	}
}

// TestCarryKeeping: several pools into one. The first carries its settings
// over; a second one's endpoints move too, but the configuration and
// compliance configuration the new pool now has are kept, the second
// pool's differing values named; a setting the new pool lacks is created.
func TestCarryKeeping(t *testing.T) {
	s := Lab("pchat15.contoso.com", "contoso.com")
	amer := ServiceScope("pchat-amer.contoso.com")
	s.Configurations = append(s.Configurations, Configuration{Identity: amer, DefaultChatHistory: 50, MaxFileSizeKB: 10240,
		ParticipantUpdateLimit: 150, RoomManagementURL: "https://chatrooms.contoso.com/manage"})
	s.Endpoints = append(s.Endpoints, Endpoint{SipAddress: "sip:amerchat@contoso.com", Pool: "pchat-amer.contoso.com"})
	s.Carry("pchat15.contoso.com", "pchat19.contoso.com")
	// The new pool lacks nothing the second pool has but an endpoint; it
	// has no compliance configuration of its own to keep for amer (amer
	// has none).
	var got []string
	for _, c := range s.CarryKeeping("pchat-amer.contoso.com", "pchat19.contoso.com") {
		got = append(got, c.Kind+" "+c.Object+" "+c.Action+": "+c.Detail)
	}
	want := []string{
		`configuration service:PersistentChatServer:pchat19.contoso.com kept: the new pool's own values kept: MaxFileSizeKB 51200 (pchat-amer.contoso.com has 10240)`,
		"endpoint sip:ocschat@contoso.com unchanged: already points at pchat19.contoso.com",
		"endpoint sip:amerchat@contoso.com move: from pchat-amer.contoso.com to pchat19.contoso.com, SIP address kept",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CarryKeeping mismatch (-want +got):\n%s", diff)
	}
	if i := find(s.Configurations, ServiceScope("pchat19.contoso.com")); i < 0 || s.Configurations[i].MaxFileSizeKB != 51200 {
		t.Errorf("the new pool's configuration was not kept: %+v", s.Configurations)
	}
	// A new pool without a configuration gets the old pool's, kept or not.
	fresh := Lab("pchat15.contoso.com", "contoso.com")
	changes := fresh.CarryKeeping("pchat15.contoso.com", "pchat19.contoso.com")
	if len(changes) != 3 || changes[0].Action != "create" || changes[1].Action != "create" {
		t.Errorf("CarryKeeping into a pool without settings: %+v", changes)
	}
	// The same values: unchanged.
	for _, c := range fresh.CarryKeeping("pchat15.contoso.com", "pchat19.contoso.com") {
		if c.Action != "unchanged" {
			t.Errorf("second CarryKeeping: %+v", c)
		}
	}
}
