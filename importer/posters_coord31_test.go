package importer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestCheckPostersInGUIDOrder: the errors for messages of posters neither
// the archive nor the target has come in the posters' GUID order, the
// same on every run. They came in the order of a Go map's iteration,
// which differs from run to run: the same import printed its errors in
// another order each time (found by adv31).
func TestCheckPostersInGUIDOrder(t *testing.T) {
	a := &source{unknownPosters: map[string]int64{}}
	var want []string
	for i := range 12 {
		g := fmt.Sprintf("%08x-0000-4000-8000-000000000000", 0xbad00+i)
		a.unknownPosters[g] = int64(i + 1)
		want = append(want, g)
	}
	for run := range 5 {
		p := &plan{a: a, t: &target{byGUID: map[string]int32{}}}
		p.checkPosters()
		var got []string
		for _, pr := range p.problems {
			if pr.Severity != Error {
				continue
			}
			i := strings.Index(pr.Message, "posted by ")
			if i < 0 {
				t.Fatalf("an error that names no poster: %q", pr.Message)
			}
			got = append(got, strings.Fields(pr.Message[i+len("posted by "):])[0])
			got[len(got)-1] = strings.TrimSuffix(got[len(got)-1], ",")
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d: the posters' errors name, in order,\n%q\nwant (GUID order)\n%q", run, got, want)
		}
	}
}
