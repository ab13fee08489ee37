package store

import (
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

func utf16LE(units ...uint16) []byte {
	b := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(b[2*i:], u)
	}
	return b
}

// TestDecodeUTF16LE: the store's decoding of nvarchar bytes gives what
// go-mssqldb's utf16.Decode gives, and says when a surrogate had no pair.
func TestDecodeUTF16LE(t *testing.T) {
	for _, tc := range []struct {
		name     string
		units    []uint16
		unpaired bool
	}{
		{"empty", nil, false},
		{"ascii", utf16.Encode([]rune("hello, world")), false},
		{"latin and CJK", utf16.Encode([]rune("Människor 日本 ÿ")), false},
		{"astral pair", utf16.Encode([]rune("a😀b𝄞")), false},
		{"U+FFFD itself", utf16.Encode([]rune("x\uFFFDy")), false},
		{"lone high at end", []uint16{'a', 0xD800}, true},
		{"lone high inside", []uint16{'a', 0xD83D, 'b'}, true},
		{"lone low", []uint16{0xDC00, 'a'}, true},
		{"low then high", []uint16{0xDE00, 0xD83D}, true},
		{"high high low", []uint16{0xD83D, 0xD83D, 0xDE00}, true},
		{"only lone high", []uint16{0xDBFF}, true},
	} {
		got, unpaired, err := decodeUTF16LE(utf16LE(tc.units...))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if want := string(utf16.Decode(tc.units)); got != want {
			t.Errorf("%s: %q, want %q", tc.name, got, want)
		}
		if unpaired != tc.unpaired {
			t.Errorf("%s: unpaired %v, want %v", tc.name, unpaired, tc.unpaired)
		}
		if len(got) != utf16Len8(utf16LE(tc.units...)) {
			t.Errorf("%s: length %d, utf16Len8 %d", tc.name, len(got), utf16Len8(utf16LE(tc.units...)))
		}
	}
	if _, _, err := decodeUTF16LE([]byte{'a', 0, 'b'}); err == nil {
		t.Error("odd length: no error")
	}
}
