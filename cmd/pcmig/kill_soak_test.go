//go:build soak

package main

import "testing"

// TestRunKilledDuringStructureResumesLarge is the acceptance of issue 9:
// a kill at each point of the structure phase of a 20,000-room import,
// resumed, gives the same target as an uninterrupted import. It takes
// many minutes (five full runs of the estate), so it runs only with
//
//	go test -tags soak -run Large -timeout 2h ./cmd/pcmig
func TestRunKilledDuringStructureResumesLarge(t *testing.T) {
	runStructureKills(t, []string{"--users", "20000", "--categories", "200", "--rooms", "20000", "--messages", "200000"}, structureKillPoints)
}
