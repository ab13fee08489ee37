package archive

import (
	"math/rand"
	"testing"
)

// plainByTable is plain8 one byte at a time.
func plainByTable(x uint64) bool {
	for k := 0; k < 8; k++ {
		if strSpecial[byte(x>>(8*k))] {
			return false
		}
	}
	return true
}

func TestPlain8MatchesTheTable(t *testing.T) {
	const filler = lsb * 'a'
	// Every byte value in every position of a plain word, and beside
	// every other value (borrows between neighbouring bytes).
	for pos := 0; pos < 8; pos++ {
		for v := 0; v < 256; v++ {
			for w := 0; w < 256; w += 17 {
				x := filler&^(0xff<<(8*pos)) | uint64(v)<<(8*pos)
				if pos < 7 {
					x = x&^(0xff<<(8*(pos+1))) | uint64(w)<<(8*(pos+1))
				}
				if got, want := plain8(x), plainByTable(x); got != want {
					t.Fatalf("plain8(%#016x) = %v, want %v", x, got, want)
				}
			}
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 1_000_000; i++ {
		x := rng.Uint64()
		if i%2 == 0 {
			x &^= msb // mostly ASCII words, where the other tests decide
		}
		if got, want := plain8(x), plainByTable(x); got != want {
			t.Fatalf("plain8(%#016x) = %v, want %v", x, got, want)
		}
	}
}

func TestSkipPlain(t *testing.T) {
	for _, tc := range []struct {
		s    string
		from int
		want int
	}{
		{"", 0, 0},
		{"plain", 0, 5},
		{"exactly8", 0, 8},
		{"sixteen plain ch", 0, 16},
		{"a long plain run then \"quote", 0, 22},
		{"a long plain run then\\", 0, 21},
		{"a long plain run then\n", 0, 21},
		{"a long plain run thén", 0, 19},
		{"\"at once", 0, 0},
		{"skip \"this\" one", 6, 10},
	} {
		if got := skipPlain(tc.s, tc.from); got != tc.want {
			t.Errorf("skipPlain(%q, %d) = %d, want %d", tc.s, tc.from, got, tc.want)
		}
		if got := skipPlain([]byte(tc.s), tc.from); got != tc.want {
			t.Errorf("skipPlain([]byte(%q), %d) = %d, want %d", tc.s, tc.from, got, tc.want)
		}
	}
}
