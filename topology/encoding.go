package topology

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// textEncoding is the character encoding a document was read in.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encUTF16LE
	encUTF16BE
)

// envelope records how the bytes of a document were encoded, so that an
// edited body can be written back in exactly the same form. Windows
// PowerShell 5.1 writes UTF-16LE with a byte order mark when Get-CsTopology
// -AsXml is redirected with > or Out-File; PowerShell 7 and Set-Content
// -Encoding UTF8 write UTF-8, with or without a BOM.
type envelope struct {
	enc textEncoding
	bom bool
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText returns the UTF-8 body of data (without any byte order mark)
// and the envelope needed to encode it back.
func decodeText(data []byte) ([]byte, envelope, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], envelope{enc: encUTF8, bom: true}, nil
	case bytes.HasPrefix(data, bomUTF16LE):
		body, err := decodeUTF16(data[2:], false)
		return body, envelope{enc: encUTF16LE, bom: true}, err
	case bytes.HasPrefix(data, bomUTF16BE):
		body, err := decodeUTF16(data[2:], true)
		return body, envelope{enc: encUTF16BE, bom: true}, err
	case len(data) >= 2 && data[0] == '<' && data[1] == 0:
		body, err := decodeUTF16(data, false)
		return body, envelope{enc: encUTF16LE}, err
	case len(data) >= 2 && data[0] == 0 && data[1] == '<':
		body, err := decodeUTF16(data, true)
		return body, envelope{enc: encUTF16BE}, err
	}
	return data, envelope{enc: encUTF8}, nil
}

// decodeUTF16 converts UTF-16 to UTF-8. It rejects odd lengths and unpaired
// surrogates, which could not be written back byte for byte.
func decodeUTF16(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, errors.New("input looks like UTF-16 but has an odd number of bytes")
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(units))
	for i := 0; i < len(units); i++ {
		u := rune(units[i])
		switch {
		case utf16.IsSurrogate(u) && u < 0xDC00 && i+1 < len(units) &&
			rune(units[i+1]) >= 0xDC00 && rune(units[i+1]) <= 0xDFFF:
			out = utf8.AppendRune(out, utf16.DecodeRune(u, rune(units[i+1])))
			i++
		case utf16.IsSurrogate(u):
			return nil, fmt.Errorf("invalid UTF-16: unpaired surrogate at byte %d", 2*i)
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	return out, nil
}

// encode turns a UTF-8 body back into the bytes of the original envelope.
func (e envelope) encode(body []byte) []byte {
	switch e.enc {
	case encUTF16LE, encUTF16BE:
		units := utf16.Encode([]rune(string(body)))
		out := make([]byte, 0, 2+2*len(units))
		if e.bom {
			if e.enc == encUTF16LE {
				out = append(out, bomUTF16LE...)
			} else {
				out = append(out, bomUTF16BE...)
			}
		}
		for _, u := range units {
			if e.enc == encUTF16LE {
				out = append(out, byte(u), byte(u>>8))
			} else {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		return out
	}
	out := make([]byte, 0, len(bomUTF8)+len(body))
	if e.bom {
		out = append(out, bomUTF8...)
	}
	return append(out, body...)
}

// String names the envelope for people, e.g. "UTF-16LE with BOM".
func (e envelope) String() string {
	s := [...]string{"UTF-8", "UTF-16LE", "UTF-16BE"}[e.enc]
	if e.bom {
		return s + " with BOM"
	}
	return s
}
