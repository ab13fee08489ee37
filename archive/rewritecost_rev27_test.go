package archive

import (
	"runtime"
	"strings"
	"testing"
)

// TestRewriteValuesCostsTheLine: a hand-built line repeating a key whose
// value the reader rewrites ("state":1.0, "verified_on" with a lower-case
// t) is refused by the decoder as a duplicate, but the rewrite ran first
// and copied the whole line for every repeat: a 240 KB principal line of
// 20,000 "state":1.0 took 28 s, and a part line may be 64 MiB (the
// manifest 16 MiB). Now the rewrite copies the line once, whatever the
// repeats: measured here in bytes allocated, not in time.
func TestRewriteValuesCostsTheLine(t *testing.T) {
	for name, tc := range map[string]struct {
		line  string
		apply func([]byte) []byte
		want  string
	}{
		"wholeNumbers": {`{` + strings.Repeat(`"state":1.0,`, 4000) + `"x":1}`,
			func(b []byte) []byte { return wholeNumbers(b, "state", "pool_id", "policy_id") }, `{"state":1  ,"state":1  ,`},
		"upperTimes": {`{` + strings.Repeat(`"verified_on":"2020-01-01t00:00:00z",`, 2000) + `"x":1}`,
			func(b []byte) []byte { return upperTimes(b, "verified_on") }, `{"verified_on":"2020-01-01T00:00:00Z","verified_on":"2020-01-01T00:00:00Z",`},
	} {
		line := []byte(tc.line)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out := tc.apply(line)
		runtime.ReadMemStats(&after)
		if !strings.HasPrefix(string(out), tc.want) || !strings.HasSuffix(string(out), `"x":1}`) {
			t.Errorf("%s: the line was not rewritten as expected: %.80s ... %s", name, out, out[len(out)-10:])
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > uint64(20*len(line)) {
			t.Errorf("%s: rewriting a line of %d bytes allocated %d bytes: want about the line's length, not its length per repeated key", name, len(line), got)
		}
	}
}
