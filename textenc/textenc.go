// Package textenc reads text files as Windows tools write them (UTF-8 with
// or without a byte order mark, UTF-16 little or big endian) and writes an
// edited body back in exactly the encoding it came in, so that a rewritten
// topology document or user directory differs from the original only where
// it was edited.
package textenc

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding is the character encoding a file was read in.
type Encoding int

// Encodings.
const (
	UTF8 Encoding = iota
	UTF16LE
	UTF16BE
	UTF32LE // read only by DecodeExport
	UTF32BE // read only by DecodeExport
)

// Envelope records how the bytes of a file were encoded.
type Envelope struct {
	Enc Encoding
	BOM bool
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	bomUTF32LE = []byte{0xFF, 0xFE, 0x00, 0x00}
	bomUTF32BE = []byte{0x00, 0x00, 0xFE, 0xFF}
)

// Decode returns the UTF-8 body of data (without any byte order mark) and
// the envelope needed to encode it back. ok is false when data has no byte
// order mark: the body is then data itself, as UTF-8, unchecked.
func Decode(data []byte) (body []byte, env Envelope, ok bool, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], Envelope{Enc: UTF8, BOM: true}, true, nil
	case bytes.HasPrefix(data, bomUTF16LE):
		body, err := decodeUTF16(data[2:], false, 2)
		return body, Envelope{Enc: UTF16LE, BOM: true}, true, err
	case bytes.HasPrefix(data, bomUTF16BE):
		body, err := decodeUTF16(data[2:], true, 2)
		return body, Envelope{Enc: UTF16BE, BOM: true}, true, err
	}
	return data, Envelope{Enc: UTF8}, false, nil
}

// DecodeExport is Decode for files PowerShell's Export-Csv and Out-File
// write, which may also be UTF-32 (-Encoding UTF32, little endian, in
// Windows PowerShell 5.1 and 7; bigendianutf32 in 7), always with a byte
// order mark. UTF-32LE's mark starts with UTF-16LE's: Decode alone reads
// such a file as UTF-16 holding NUL characters.
func DecodeExport(data []byte) (body []byte, env Envelope, ok bool, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF32LE):
		body, err := decodeUTF32(data, false)
		return body, Envelope{Enc: UTF32LE, BOM: true}, true, err
	case bytes.HasPrefix(data, bomUTF32BE):
		body, err := decodeUTF32(data, true)
		return body, Envelope{Enc: UTF32BE, BOM: true}, true, err
	}
	return Decode(data)
}

// decodeUTF32 converts UTF-32 after its 4-byte byte order mark to UTF-8.
// It rejects lengths that are not a multiple of 4 and values that are not
// Unicode characters (surrogates, past U+10FFFF), which could not be
// written back byte for byte.
func decodeUTF32(data []byte, bigEndian bool) ([]byte, error) {
	if len(data)%4 != 0 {
		name := "UTF-32LE"
		if bigEndian {
			name = "UTF-32BE"
		}
		return nil, fmt.Errorf("the file starts with a %s byte order mark but its length is not a multiple of 4 bytes (cut short, or not UTF-32)", name)
	}
	out := make([]byte, 0, len(data)/4)
	for i := 4; i < len(data); i += 4 {
		var r rune
		if bigEndian {
			r = rune(data[i])<<24 | rune(data[i+1])<<16 | rune(data[i+2])<<8 | rune(data[i+3])
		} else {
			r = rune(data[i+3])<<24 | rune(data[i+2])<<16 | rune(data[i+1])<<8 | rune(data[i])
		}
		if !utf8.ValidRune(r) {
			return nil, fmt.Errorf("invalid UTF-32: a value that is not a Unicode character at byte %d", i)
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// ErrOddLength is the error of UTF-16 input with an odd number of bytes.
var ErrOddLength = errors.New("input looks like UTF-16 but has an odd number of bytes")

// SurrogateError is the error of UTF-16 input holding a surrogate that is
// not half of a pair.
type SurrogateError struct {
	Offset int // of the surrogate's first byte in the input (for [Decode], in the file, byte order mark included)
}

func (e *SurrogateError) Error() string {
	return fmt.Sprintf("invalid UTF-16: unpaired surrogate at byte %d", e.Offset)
}

// DecodeUTF16 converts UTF-16 to UTF-8. It rejects odd lengths
// ([ErrOddLength]) and unpaired surrogates ([*SurrogateError]), which could
// not be written back byte for byte.
func DecodeUTF16(b []byte, bigEndian bool) ([]byte, error) {
	return decodeUTF16(b, bigEndian, 0)
}

// decodeUTF16 is DecodeUTF16 of input that starts at byte base of a file.
func decodeUTF16(b []byte, bigEndian bool, base int) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, ErrOddLength
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
			return nil, &SurrogateError{Offset: base + 2*i}
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	return out, nil
}

// Encode turns a UTF-8 body back into the bytes of the envelope.
func (e Envelope) Encode(body []byte) []byte {
	switch e.Enc {
	case UTF32LE, UTF32BE:
		out := make([]byte, 0, 4+4*len(body))
		if e.BOM {
			out = e.appendUTF32(out, '\uFEFF')
		}
		for _, r := range string(body) {
			out = e.appendUTF32(out, r)
		}
		return out
	case UTF16LE, UTF16BE:
		units := utf16.Encode([]rune(string(body)))
		out := make([]byte, 0, 2+2*len(units))
		if e.BOM {
			if e.Enc == UTF16LE {
				out = append(out, bomUTF16LE...)
			} else {
				out = append(out, bomUTF16BE...)
			}
		}
		for _, u := range units {
			if e.Enc == UTF16LE {
				out = append(out, byte(u), byte(u>>8))
			} else {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		return out
	}
	out := make([]byte, 0, len(bomUTF8)+len(body))
	if e.BOM {
		out = append(out, bomUTF8...)
	}
	return append(out, body...)
}

func (e Envelope) appendUTF32(out []byte, r rune) []byte {
	if e.Enc == UTF32BE {
		return append(out, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
	}
	return append(out, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
}

// String names the envelope for people, e.g. "UTF-16LE with BOM".
func (e Envelope) String() string {
	s := [...]string{"UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}[e.Enc]
	if e.BOM {
		return s + " with BOM"
	}
	return s
}
