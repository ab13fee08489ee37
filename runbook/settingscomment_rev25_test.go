package runbook

import (
	"strings"
	"testing"
)

// TestSettingsLeavingEndpointsSaysSoInItsComments: the settings section of
// an estate that is not routes' successor moves no endpoint, but its
// opening comments still said "each endpoint is removed, then recreated
// ... the endpoints to move are recorded in $EndpointsFile", describing
// what the section does not do (only its last comment said otherwise).
// Its comments now say it moves none and whose runbook moves them; the
// successor's section keeps the description.
func TestSettingsLeavingEndpointsSaysSoInItsComments(t *testing.T) {
	rb := New(testHeader)
	rb.AddSection(5, "carry the pool's own settings over")
	must(t, rb.CarryPoolSettingsLeavingEndpoints("pchat15.contoso.com", "pchat19-emea.contoso.com", "", "pchat19.contoso.com"))
	out := string(rb.Bytes())
	for _, bad := range []string{"each endpoint is removed, then recreated", "$EndpointsFile"} {
		if strings.Contains(out, bad) {
			t.Errorf("the section that moves no endpoint says %q", bad)
		}
	}
	if !strings.Contains(out, "# Endpoints: this section moves none.") {
		t.Error("the section's comments do not say it moves no endpoint")
	}

	rb = New(testHeader)
	rb.AddSection(5, "carry the pool's own settings over")
	must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", ""))
	if out := string(rb.Bytes()); !strings.Contains(out, "each endpoint is removed, then recreated") {
		t.Error("the successor's section lost its description of the endpoints' move")
	}
}
