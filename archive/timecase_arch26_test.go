package archive

import (
	"strings"
	"testing"
	"time"
)

// TestLowerCaseTimes: RFC 3339 §5.6 allows t and z in lower case; a
// principal's verified_on written so decodes as the same instant. What is
// not an RFC 3339 date-time stays refused, and a string that is not plain
// ASCII is not touched (its text is checked as is).
func TestLowerCaseTimes(t *testing.T) {
	line := func(v string) []byte {
		return []byte(`{"guid":"00000001-0000-4000-8000-000000000001","uri":"sip:a@contoso.com","type":"User","state":0,"pool_id":null,"policy_id":null,"added_on":"1","updated_on":"1","verified_on":` + v + `}`)
	}
	want := time.Date(2024, 1, 2, 3, 4, 5, 120000000, time.UTC)
	for _, v := range []string{`"2024-01-02T03:04:05.12Z"`, `"2024-01-02t03:04:05.12z"`, `"2024-01-02t03:04:05.12Z"`, `"2024-01-02T03:04:05.12z"`, `"2024-01-02t05:04:05.12+02:00"`} {
		var p Principal
		if err := decodePrincipal(line(v), &p); err != nil || !p.VerifiedOn.Equal(want) {
			t.Errorf("verified_on %s: %v, %v; want %v", v, p.VerifiedOn, err, want)
		}
	}
	for _, v := range []string{`"2024-01-02 03:04:05z"`, `"2024-01-02x03:04:05z"`, `"2024-01-02t03:04:05"`, `"2024-01-02\u0074034:04:05z"`, `"2024-01-02t03:04:05é"`} {
		var p Principal
		if err := decodePrincipal(line(v), &p); err == nil || !strings.Contains(err.Error(), "verified_on") {
			t.Errorf("verified_on %s: %v, want an error naming verified_on", v, err)
		}
	}
}
