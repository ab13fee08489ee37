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
	first         map[rune]R
	order         []rune
	long16, long8 sampleValue[R]
	invalid       *R
}

type sampleValue[R any] struct {
	v   string
	n   int
	ref R
	set bool
}

// Add records one value.
func (t *TextSample[R]) Add(v string, ref R) {
	if t.first == nil {
		t.first = map[rune]R{}
	}
	if !utf8.ValidString(v) {
		if t.invalid == nil {
			t.invalid = &ref
		}
		return
	}
	for _, r := range v {
		if r < 0x80 {
			continue
		}
		if _, ok := t.first[r]; !ok {
			t.first[r] = ref
			t.order = append(t.order, r)
		}
	}
	if n := UTF16Len(v); !t.long16.set || n > t.long16.n {
		t.long16 = sampleValue[R]{v, n, ref, true}
	}
	if n := len(v); !t.long8.set || n > t.long8.n {
		t.long8 = sampleValue[R]{v, n, ref, true}
	}
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
