package store

import (
	"sort"
	"unicode/utf8"
)

// TextSample summarises, in one pass, the values an import will write into
// one column, so that they can be checked against a target column before
// anything is written without holding them: each distinct non-ASCII
// character with the first value that has it, and the longest values (in
// UTF-16 code units and in UTF-8 bytes). R names a value for people (a
// room and a message).
type TextSample[R any] struct {
	first map[rune]R
	order []rune
	// seen marks the characters of first below U+10000, so that a value's
	// characters are looked up without hashing.
	seen          *[0x10000 / 64]uint64
	long16, long8 sampleValue[R]
	invalid       *R
}

type sampleValue[R any] struct {
	v   string
	n   int
	ref R
	set bool
}

// Add records one value. It runs for every message an import reads, so
// an ASCII value (most chat text) takes one pass over its bytes: it is
// valid UTF-8, adds no character and is as long in UTF-16 as in bytes.
func (t *TextSample[R]) Add(v string, ref R) {
	addValue(t, v, ref, utf8.DecodeRuneInString)
}

// AddBytes records one value like Add, copying v only when it is the
// longest yet: for values the caller does not keep.
func (t *TextSample[R]) AddBytes(v []byte, ref R) {
	addValue(t, v, ref, utf8.DecodeRune)
}

// addValue is Add for a string or bytes, which decode decodes.
func addValue[R any, T string | []byte](t *TextSample[R], v T, ref R, decode func(T) (rune, int)) {
	n16 := len(v)
	if !isASCII(v) {
		// One pass checks the value's UTF-8, counts its UTF-16 units and
		// looks for characters not seen before, which a second pass adds
		// (an invalid value adds none).
		n16 = 0
		fresh := false
		for i := 0; i < len(v); {
			if v[i] < utf8.RuneSelf {
				n16++
				i++
				continue
			}
			r, size := decode(v[i:])
			if r == utf8.RuneError && size == 1 {
				if t.invalid == nil {
					r := ref // a copy: &ref would move every call's ref to the heap
					t.invalid = &r
				}
				return
			}
			i += size
			n16++
			if r >= 0x10000 {
				n16++
			}
			fresh = fresh || !t.has(r)
		}
		if fresh {
			addChars(t, v, ref, decode)
		}
	}
	if !t.long16.set || n16 > t.long16.n {
		t.long16 = sampleValue[R]{string(v), n16, ref, true}
	}
	if n := len(v); !t.long8.set || n > t.long8.n {
		t.long8 = sampleValue[R]{string(v), n, ref, true}
	}
}

// has reports whether the non-ASCII character r is in t.first.
func (t *TextSample[R]) has(r rune) bool {
	if r < 0x10000 {
		return t.seen != nil && t.seen[r>>6]&(1<<(r&63)) != 0
	}
	_, ok := t.first[r]
	return ok
}

// addChars adds to t the characters of the valid value v it lacks.
func addChars[R any, T string | []byte](t *TextSample[R], v T, ref R, decode func(T) (rune, int)) {
	if t.first == nil {
		t.first = map[rune]R{}
		t.seen = new([0x10000 / 64]uint64)
	}
	for i := 0; i < len(v); {
		if v[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decode(v[i:])
		i += size
		if t.has(r) {
			continue
		}
		t.first[r] = ref
		t.order = append(t.order, r)
		if r < 0x10000 {
			t.seen[r>>6] |= 1 << (r & 63)
		}
	}
}

// isASCII reports whether s is all ASCII, eight bytes at a time.
func isASCII[T string | []byte](s T) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if x&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// SampleProblem is one value of a sample that the column cannot hold.
type SampleProblem[R any] struct {
	Ref R
	Err error // wraps ErrText
}

// CheckSample checks a sample against a documented text column of s: one
// problem for each character the column's code page lacks (at the first
// value that has it), and one for a longest value that does not fit. The
// check of lengths is exact for nvarchar; for a varchar of declared length
// it is exact for the value longest in UTF-8, which in every code page
// pcmig encodes takes at least as many bytes as in the code page.
func CheckSample[R any](s *Store, table, column string, t *TextSample[R]) []SampleProblem[R] {
	col, ok := s.textColumn(table, column)
	if !ok || t == nil {
		return nil
	}
	var out []SampleProblem[R]
	if t.invalid != nil {
		out = append(out, SampleProblem[R]{*t.invalid, col.textErr("the text is not valid UTF-8")})
	}
	runes := append([]rune(nil), t.order...)
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	if !col.Unicode() {
		for _, r := range runes {
			if err := col.CheckText(string(r)); err != nil {
				out = append(out, SampleProblem[R]{t.first[r], err})
			}
		}
	}
	for _, v := range []sampleValue[R]{t.long16, t.long8} {
		if !v.set || col.Length <= 0 {
			continue
		}
		if err := col.CheckText(v.v); err != nil && !anyCharProblem(col, v.v) {
			out = append(out, SampleProblem[R]{v.ref, err})
			break
		}
	}
	return out
}

// anyCharProblem reports whether v fails for a character (already
// reported) rather than for its length.
func anyCharProblem(col Column, v string) bool {
	if col.Unicode() {
		return false
	}
	for _, r := range v {
		if r >= 0x80 && col.CheckText(string(r)) != nil {
			return true
		}
	}
	return false
}
