package store

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// BenchmarkTextSampleAdd adds chat-sized values, most of them ASCII, as
// the import's pre-pass does for every message.
func BenchmarkTextSampleAdd(b *testing.B) {
	vals := []string{
		strings.Repeat("Status update for the release train: all green, ship it. ", 4),
		"Réunion à 14h dans la salle Étoile, merci de confirmer.",
		strings.Repeat("ok ", 30),
		"Deployment 42 finished in 3m12s; see the dashboard for details.",
	}
	var t TextSample[int]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t.Add(vals[i%len(vals)], i)
	}
}

// Add gives what three separate passes give (validity, each non-ASCII
// character's first value, lengths in UTF-16 units and bytes), whatever
// where the first non-ASCII byte falls in the eight-byte steps.
func TestTextSampleAddAgrees(t *testing.T) {
	vals := []string{"", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefgé", "abcdefghé", "é", "😀", "abcdefgh😀x",
		"plain text of some length, all ASCII", "a\xffb", "abcdefgh\xff", "Ω≈ç√", "\x7f\x00"}
	var got TextSample[int]
	first := map[rune]int{}
	long16, long8, invalid := -1, -1, -1
	n16s, n8s := -1, -1
	for i, v := range vals {
		got.Add(v, i)
		if !utf8.ValidString(v) {
			if invalid < 0 {
				invalid = i
			}
			continue
		}
		for _, r := range v {
			if _, ok := first[r]; !ok && r >= 0x80 {
				first[r] = i
			}
		}
		if n := UTF16Len(v); n > n16s {
			long16, n16s = i, n
		}
		if n := len(v); n > n8s {
			long8, n8s = i, n
		}
	}
	if got.invalid == nil || *got.invalid != invalid {
		t.Errorf("invalid = %v, want %d", got.invalid, invalid)
	}
	if len(got.first) != len(first) || len(got.order) != len(first) {
		t.Errorf("characters %v (order %v), want %v", got.first, got.order, first)
	}
	for r, i := range first {
		if got.first[r] != i {
			t.Errorf("character %U first in value %d, want %d", r, got.first[r], i)
		}
	}
	if got.long16.ref != long16 || got.long16.n != n16s || got.long8.ref != long8 || got.long8.n != n8s {
		t.Errorf("longest %d (%d units) and %d (%d bytes), want %d (%d) and %d (%d)",
			got.long16.ref, got.long16.n, got.long8.ref, got.long8.n, long16, n16s, long8, n8s)
	}
}

// AddBytes gives the sample Add gives; a value that is not valid UTF-8
// adds none of its characters, even those before the bad byte, and a
// character's first value stays the first whichever path looked it up.
func TestTextSampleAddBytesAgrees(t *testing.T) {
	vals := []string{"ü\xff", "plain", "Grüße 😀", "ü", "\xffΩ", "Ω and 😀 again", "日本語\xe6\x97", "日本",
		"\uffff\U0010ffff", "\xed\xa0\x80", "ü😀Ω日本", strings.Repeat("long ASCII value ", 8)}
	var s, b TextSample[int]
	for i, v := range vals {
		s.Add(v, i)
		b.AddBytes([]byte(v), i)
	}
	if diff := cmp.Diff(s, b, cmp.AllowUnexported(TextSample[int]{}, sampleValue[int]{})); diff != "" {
		t.Errorf("AddBytes mismatch with Add (-Add +AddBytes):\n%s", diff)
	}
	want := map[rune]int{'ü': 2, 'ß': 2, '😀': 2, 'Ω': 5, '日': 7, '本': 7, '\uffff': 8, '\U0010ffff': 8, '語': -1}
	delete(want, '語') // only in an invalid value
	if diff := cmp.Diff(want, s.first); diff != "" {
		t.Errorf("first values mismatch (-want +got):\n%s", diff)
	}
	if s.invalid == nil || *s.invalid != 0 {
		t.Errorf("invalid = %v, want value 0", s.invalid)
	}
}
