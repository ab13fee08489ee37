package lua

import (
	"strings"
	"testing"
)

// TestMathRandomArguments: an empty interval is an error of the script,
// as in Lua 5.1, never a Go panic.
func TestMathRandomArguments(t *testing.T) {
	for src, want := range map[string]string{
		`math.random(0)`:                 "interval is empty",
		`math.random(-5)`:                "interval is empty",
		`math.random(2, 1)`:              "interval is empty",
		`math.random(1e300)`:             "interval is empty",
		`math.random(-2^62, 2^62)`:       "interval is empty",
		`math.random(1, 2, 3)`:           "wrong number of arguments",
		`assert(math.random(3, 3) == 3)`: "",
		`local n = math.random(5); assert(n >= 1 and n <= 5)`: "",
	} {
		L := NewState()
		err := L.DoString(src)
		L.Close()
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", src, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "panic")):
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}
