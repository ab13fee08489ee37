package pchat

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTicks(t *testing.T) {
	tests := []struct {
		name  string
		time  time.Time
		ticks int64
	}{
		// The documented compliance sample: long="633482073409535482".
		{"compliance sample", time.Date(2008, 6, 4, 20, 15, 40, 953548200, time.UTC), 633482073409535482},
		{"unix epoch", time.Unix(0, 0).UTC(), 621355968000000000},
		{"before the epoch", time.Date(1900, 1, 1, 0, 0, 0, 100, time.UTC), 599266080000000001},
		{"sub-tick precision is dropped", time.Date(2019, 1, 1, 0, 0, 0, 199, time.UTC), 636818976000000001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TicksFromTime(tt.time); got != tt.ticks {
				t.Errorf("TicksFromTime(%v) = %d, want %d", tt.time, got, tt.ticks)
			}
			back := TimeFromTicks(tt.ticks)
			if want := tt.time.Truncate(100 * time.Nanosecond); !back.Equal(want) {
				t.Errorf("TimeFromTicks(%d) = %v, want %v", tt.ticks, back, want)
			}
		})
	}
	// Ticks of today exceed 2^53: a float64 would round them.
	now := TicksFromTime(time.Date(2026, 11, 24, 9, 42, 8, 123456700, time.UTC))
	if now <= 1<<53 || int64(float64(now)) == now {
		t.Errorf("ticks %d should not survive a float64 round trip", now)
	}
}

func TestTicksOutsideTheDateTimeRange(t *testing.T) {
	maxTime := time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
	if got := TicksFromTime(maxTime); got != MaxTicks {
		t.Errorf("ticks of DateTime.MaxValue = %d, want %d", got, MaxTicks)
	}
	minTime := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		ticks int64
		want  time.Time
		valid bool
	}{
		{0, minTime, true}, {MaxTicks, maxTime, true}, {-1, minTime, false}, {MaxTicks + 1, maxTime, false},
		{-1 << 63, minTime, false}, {1<<63 - 1, maxTime, false},
	} {
		if got := TimeFromTicks(tt.ticks); !got.Equal(tt.want) {
			t.Errorf("TimeFromTicks(%d) = %v, want %v", tt.ticks, got, tt.want)
		}
		if _, err := TimeFromTicks(tt.ticks).MarshalJSON(); err != nil {
			t.Errorf("TimeFromTicks(%d) does not encode: %v", tt.ticks, err)
		}
		if ValidTicks(tt.ticks) != tt.valid {
			t.Errorf("ValidTicks(%d) = %v", tt.ticks, !tt.valid)
		}
	}
}

func TestCanonicalGUID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"8B0A1F2E-3C4D-4E5F-8A9B-0C1D2E3F4A5B", "8b0a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},
		{"{8b0a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b}", "8b0a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},
		{" 8b0a1f2e-3C4D-4e5f-8a9b-0c1d2e3f4a5b ", "8b0a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},
		{"8b0a1f2e3c4d4e5f8a9b0c1d2e3f4a5b", ""},
		{"8b0a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5g", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := CanonicalGUID(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("CanonicalGUID(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CanonicalGUID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestVocabularyRoundTrips(t *testing.T) {
	for _, p := range []Privacy{Open, Closed, Secret} {
		back, err := PrivacyFromVisibility(p.VisibilityValue())
		if err != nil || back != p {
			t.Errorf("privacy %s -> %q -> %s, %v", p, p.VisibilityValue(), back, err)
		}
		parsed, err := ParsePrivacy(string(p))
		if err != nil || parsed != p {
			t.Errorf("ParsePrivacy(%s) = %s, %v", p, parsed, err)
		}
	}
	got := map[Privacy]string{Open: Open.VisibilityValue(), Closed: Closed.VisibilityValue(), Secret: Secret.VisibilityValue()}
	if diff := cmp.Diff(map[Privacy]string{Open: "open", Closed: "scope", Secret: "private"}, got); diff != "" {
		t.Errorf("visibility mapping mismatch (-want +got):\n%s", diff)
	}
	for _, rt := range []RoomType{Normal, Auditorium} {
		back, err := RoomTypeFromBehavior(rt.BehaviorValue())
		if err != nil || back != rt {
			t.Errorf("type %s -> %q -> %s, %v", rt, rt.BehaviorValue(), back, err)
		}
	}
	for _, v := range []Invitations{Inherit, InvitationsFalse, InvitationsTrue} {
		if back := InvitationsFromColumn(v.InviteColumn()); back != v {
			t.Errorf("invitations %s -> %v -> %s", v, v.InviteColumn(), back)
		}
	}
	if Inherit.InviteColumn() != nil {
		t.Error("Inherit must be stored as NULL")
	}
	for _, bad := range []string{"", "public", "Private"} {
		if _, err := ParsePrivacy(bad); err == nil {
			t.Errorf("ParsePrivacy(%q) succeeded", bad)
		}
	}
	if _, err := PrivacyFromVisibility("auditorium"); err == nil {
		t.Error("PrivacyFromVisibility(auditorium) succeeded")
	}
	if pt, err := ParsePrincipalType("group"); err != nil || pt != TypeGroup {
		t.Errorf("ParsePrincipalType(group) = %v, %v", pt, err)
	}
	if s := PrincipalState(2).String(); s != "deleted" {
		t.Errorf("PrincipalState(2) = %q", s)
	}
}
