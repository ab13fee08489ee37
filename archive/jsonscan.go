package archive

// Most of a chat message is printable ASCII, which a JSON string carries
// as it is. skipPlain finds the end of such a run eight bytes at a time
// (the encoder's and decoder's loops spent most of an export's and an
// import's string time testing one byte at a time).

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// plain8 reports whether none of the eight bytes of x is special (see
// strSpecial): a control character, quote, backslash or non-ASCII byte.
// Each test is exact: a byte sets its high bit in hasLess only if it is
// below the bound, so a word of plain bytes is never taken for special
// and the reverse.
func plain8(x uint64) bool {
	const quote, backslash = lsb * '"', lsb * '\\'
	special := x | hasLess(x, 0x20) | hasLess(x^quote, 1) | hasLess(x^backslash, 1)
	return special&msb == 0
}

// hasLess sets the high bit of some byte if a byte of x is below n
// (n <= 128).
func hasLess(x, n uint64) uint64 { return (x - lsb*n) &^ x & msb }

// load64 reads eight bytes of s from i, little-endian.
func load64[T string | []byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// skipPlain returns the index of the first special byte of s at or after
// i, or len(s).
func skipPlain[T string | []byte](s T, i int) int {
	for i+8 <= len(s) && plain8(load64(s, i)) {
		i += 8
	}
	for i < len(s) && !strSpecial[s[i]] {
		i++
	}
	return i
}
