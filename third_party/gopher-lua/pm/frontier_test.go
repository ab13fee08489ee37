package pm

import (
	"strings"
	"testing"
)

// TestFrontier checks %f[set], Lua 5.1's frontier pattern, which the
// released matcher read as a literal 'f' followed by a set.
func TestFrontier(t *testing.T) {
	for _, c := range []struct {
		pat, src   string
		start, end int // of the first match; -1 for none
	}{
		{"%f[%w]Sales%f[%W]", "Sales team", 0, 5},
		{"%f[%w]Sales%f[%W]", "x Sales", 2, 7},
		{"%f[%w]Sales%f[%W]", "Salesforce", -1, -1},
		{"%f[%w]Sales%f[%W]", "PreSales", -1, -1},
		{"%f[%a]%a+", "THE (quick) fox", 0, 3},
		{"%f[%u]", "aXb", 1, 1},
		{"%f[^\x01-\xff]", "function", 8, 8},
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
	for _, pat := range []string{"%f", "%fa", "%f%w"} {
		if _, err := Find(pat, []byte("abc"), 0, 1); err == nil || !strings.HasPrefix(err.Error(), "missing '[' after '%f' in pattern") {
			t.Errorf("%q: err %v, want missing '[' after '%%f' in pattern", pat, err)
		}
	}
}
