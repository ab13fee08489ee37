package store

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Text in SQL Server travels as UTF-16 (nchar, nvarchar) or as bytes of
// the column collation's code page (char, varchar). go-mssqldb sends a Go
// string parameter as nvarchar, which the server converts to the column's
// code page, silently turning characters the code page lacks into '?'; and
// its bulk copy sends a string bound for a varchar column as its UTF-8
// bytes, which the server stores as they are (é arrives as Ã©). So every
// value is checked against its column before it is written, and bulk copy
// gets varchar values already encoded.

// ErrText is wrapped by the errors of values a column cannot store as they
// are: too long, or holding characters its code page lacks.
var ErrText = errors.New("text does not fit its column")

// codePages are the code pages of SQL Server's collations that pcmig can
// encode (65001, the _UTF8 collations, needs no encoding).
var codePages = map[int]encoding.Encoding{
	437: charmap.CodePage437, 850: charmap.CodePage850, 874: charmap.Windows874,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252, 1253: charmap.Windows1253,
	1254: charmap.Windows1254, 1255: charmap.Windows1255, 1256: charmap.Windows1256, 1257: charmap.Windows1257,
	1258: charmap.Windows1258,
	932:  japanese.ShiftJIS, 936: simplifiedchinese.GBK, 949: korean.EUCKR, 950: traditionalchinese.Big5,
}

// UTF16Len is the length of s in UTF-16 code units, the unit of nchar and
// nvarchar lengths (a character outside the Basic Multilingual Plane, such
// as most emoji, takes two).
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// CheckText reports whether v can be stored in the column unchanged: valid
// UTF-8, within the declared length in the column's units, and, for
// char and varchar, made only of characters its code page has. The error
// wraps ErrText and names the column, never the value.
func (c Column) CheckText(v string) error {
	_, err := c.encode(v)
	return err
}

// encode returns v as the bytes a char or varchar column stores (nil for
// Unicode columns and code page 65001, which take v as it is), after the
// checks of CheckText.
func (c Column) encode(v string) ([]byte, error) {
	// ASCII within the length needs no more in a Unicode or UTF-8 column:
	// every message an import writes is checked here.
	if (c.Unicode() || c.Collation.CodePage == 65001) && (c.Length <= 0 || len(v) <= c.Length) && isASCII(v) {
		return nil, nil
	}
	if !utf8.ValidString(v) {
		return nil, c.textErr("the text is not valid UTF-8")
	}
	if c.Unicode() {
		// A text never has more UTF-16 code units than UTF-8 bytes, so
		// only a text longer in bytes than the column is counted.
		if c.Length > 0 && len(v) > c.Length {
			if n := UTF16Len(v); n > c.Length {
				return nil, c.textErr(fmt.Sprintf("at most %d characters (UTF-16 code units: an emoji counts 2), and this text has %d", c.Length, n))
			}
		}
		return nil, nil
	}
	var b []byte
	switch cp := c.Collation.CodePage; cp {
	case 65001:
	default:
		enc, ok := codePages[cp]
		if !ok {
			if r, bad := firstNonASCII(v); bad {
				return nil, c.textErr(fmt.Sprintf("pcmig cannot encode code page %d, so only ASCII text can be written, and this text holds %q (%U)", cp, r, r))
			}
			break
		}
		var err error
		if b, err = enc.NewEncoder().Bytes([]byte(v)); err != nil {
			return nil, c.textErr(fmt.Sprintf("code page %d has no %s, so the text would not read back the same", cp, describeMissing(enc, v)))
		}
		back, err := enc.NewDecoder().Bytes(b)
		if err != nil || string(back) != v {
			return nil, c.textErr(fmt.Sprintf("the text does not read back the same from code page %d", cp))
		}
	}
	n := len(v)
	if b != nil {
		n = len(b)
	}
	if c.Length > 0 && n > c.Length {
		return nil, c.textErr(fmt.Sprintf("at most %d bytes in its code page, and this text takes %d", c.Length, n))
	}
	return b, nil
}

// wireValue is what bulk copy sends for v: v itself for Unicode and UTF-8
// columns, the code page's bytes otherwise.
func (c Column) wireValue(v string) (any, error) {
	b, err := c.encode(v)
	if err != nil || b == nil {
		return v, err
	}
	return b, nil
}

func (c Column) textErr(why string) error {
	where := c.Table + "." + c.Name + " is " + c.Declared()
	if !c.Unicode() && c.Collation.Name != "" {
		where += " (" + c.Collation.Name + ")"
	}
	return fmt.Errorf("%w: %s: %s", ErrText, where, why)
}

func firstNonASCII(s string) (rune, bool) {
	for _, r := range s {
		if r >= 0x80 {
			return r, true
		}
	}
	return 0, false
}

// describeMissing names the first character of s that enc cannot encode.
func describeMissing(enc encoding.Encoding, s string) string {
	e := enc.NewEncoder()
	for _, r := range s {
		if _, err := e.String(string(r)); err != nil {
			return fmt.Sprintf("%q (%U)", r, r)
		}
	}
	return "character for part of the text"
}
