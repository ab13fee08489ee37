package store

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Text scans a text column that the statement reads as its UTF-16LE
// bytes (chatSelect): it decodes them as go-mssqldb decodes nvarchar (a
// surrogate without its pair becomes U+FFFD) and says whether it did so.
// A string (a driver that gives the text itself) is taken as it is.
type utf16Text struct {
	nullable bool // NULL allowed (valid false); otherwise an error
	s        string
	valid    bool
	unpaired bool
}

func (t *utf16Text) Scan(src any) error {
	t.s, t.valid, t.unpaired = "", false, false
	switch v := src.(type) {
	case nil:
		if !t.nullable {
			return fmt.Errorf("converting NULL to string is unsupported")
		}
		return nil
	case string:
		t.s, t.valid = v, true
		return nil
	case []byte:
		s, unpaired, err := decodeUTF16LE(v)
		if err != nil {
			return err
		}
		t.s, t.valid, t.unpaired = s, true, unpaired
		return nil
	}
	return fmt.Errorf("unsupported type %T for a text column", src)
}

// decodeUTF16LE decodes UTF-16LE bytes to a string. unpaired is true when
// a surrogate had no pair: it is decoded as U+FFFD, as utf16.Decode does.
func decodeUTF16LE(b []byte) (s string, unpaired bool, err error) {
	if len(b)%2 != 0 {
		return "", false, fmt.Errorf("nvarchar bytes of odd length %d", len(b))
	}
	n := len(b) / 2
	ascii := true
	for i := 0; i < len(b); i += 2 {
		if b[i+1] != 0 || b[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	var sb strings.Builder
	if ascii {
		sb.Grow(n)
		for i := 0; i < len(b); i += 2 {
			sb.WriteByte(b[i])
		}
		return sb.String(), false, nil
	}
	sb.Grow(utf16Len8(b))
	for i := 0; i < n; i++ {
		u := rune(b[2*i]) | rune(b[2*i+1])<<8
		switch {
		case !utf16.IsSurrogate(u):
			sb.WriteRune(u)
		case u < 0xDC00 && i+1 < n:
			lo := rune(b[2*i+2]) | rune(b[2*i+3])<<8
			if r := utf16.DecodeRune(u, lo); r != utf8.RuneError {
				sb.WriteRune(r)
				i++
				continue
			}
			fallthrough
		default:
			sb.WriteRune(utf8.RuneError)
			unpaired = true
		}
	}
	return sb.String(), unpaired, nil
}

// utf16Len8 is the length in UTF-8 of the UTF-16LE bytes b (even length)
// as decodeUTF16LE decodes them, so that the string is allocated once and
// no larger than it is.
func utf16Len8(b []byte) int {
	n, size := len(b)/2, 0
	for i := 0; i < n; i++ {
		u := rune(b[2*i]) | rune(b[2*i+1])<<8
		switch {
		case u < 0x80:
			size++
		case u < 0x800:
			size += 2
		case u >= 0xD800 && u < 0xDC00 && i+1 < n:
			if lo := rune(b[2*i+2]) | rune(b[2*i+3])<<8; lo >= 0xDC00 && lo < 0xE000 {
				size += 4
				i++
				continue
			}
			size += 3
		default:
			size += 3 // other BMP characters, and U+FFFD for a lone surrogate
		}
	}
	return size
}
