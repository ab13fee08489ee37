package pm

import (
	"strings"
	"testing"
)

// TestSetsAsLua51 checks sets as Lua 5.1 reads them: a range only between
// two plain characters, ']' first in a set is one of its characters, and
// '-' before the closing ']' is a character. The released matcher made a
// range of "%a-z", which matched nothing.
func TestSetsAsLua51(t *testing.T) {
	for _, c := range []struct {
		pat, src   string
		start, end int // of the first match; -1 for none
	}{
		{"[%a-z]", "a-z", 0, 1},
		{"[%a-z]+", "-zA", 0, 3},
		{"[%w-_]+", "Sales-EMEA_2 x", 0, 12},
		{"[%d-]+", "x-12", 1, 4},
		{"[a-]+", "b-a", 1, 3},
		{"[]]", "x]", 1, 2},
		{"[^]]+", "ab]", 0, 2},
		{"[a-%]]", "a]b", 1, 2},
		{"[a-c]+", "xbca", 1, 4},
		{"[%]]", "a]", 1, 2},
	} {
		ms, err := Find(c.pat, []byte(c.src), 0, 1)
		if err != nil {
			t.Fatalf("%q in %q: %v", c.pat, c.src, err)
		}
		if c.start < 0 {
			if len(ms) != 0 {
				t.Errorf("%q in %q: matched at %d, want no match", c.pat, c.src, ms[0].Capture(0))
			}
			continue
		}
		if len(ms) == 0 {
			t.Errorf("%q in %q: no match, want %d-%d", c.pat, c.src, c.start, c.end)
			continue
		}
		if s, e := ms[0].Capture(0), ms[0].Capture(1); s != c.start || e != c.end {
			t.Errorf("%q in %q: matched %d-%d, want %d-%d", c.pat, c.src, s, e, c.start, c.end)
		}
	}
}

// TestMalformedPatterns checks the errors of Lua 5.1 for a pattern that
// ends in '%', a "%b" without its two characters and a set without its
// ']'. The released matcher matched nothing for the first two, without an
// error.
func TestMalformedPatterns(t *testing.T) {
	for pat, want := range map[string]string{
		"%":      "malformed pattern (ends with '%')",
		"100%":   "malformed pattern (ends with '%')",
		"[a-z]%": "malformed pattern (ends with '%')",
		"%b":     "unbalanced pattern",
		"%b(":    "unbalanced pattern",
		"[a":     "malformed pattern (missing ']')",
		"[%a":    "malformed pattern (missing ']')",
		"[]":     "malformed pattern (missing ']')",
		"[^]":    "malformed pattern (missing ']')",
		"[%]":    "malformed pattern (missing ']')",
	} {
		_, err := Find(pat, []byte("(100%) [a]"), 0, 1)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", pat, err, want)
		}
	}
}
