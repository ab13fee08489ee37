package directory

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/pcmig/pcmig/textenc"
)

// envelope records how the bytes of a file were encoded, so that an edited
// body can be written back in exactly the same form. Export-Csv writes UTF-8
// with a BOM (-Encoding UTF8 in Windows PowerShell 5.1), UTF-8 without one
// (PowerShell 7), ASCII (the 5.1 default, a subset of UTF-8), UTF-16 with
// a BOM (-Encoding Unicode / BigEndianUnicode) or UTF-32 with a BOM
// (-Encoding UTF32; bigendianutf32 in PowerShell 7).
type envelope = textenc.Envelope

const (
	encUTF8    = textenc.UTF8
	encUTF16LE = textenc.UTF16LE
	encUTF16BE = textenc.UTF16BE
)

// decodeText returns the UTF-8 body of data (without any byte order mark)
// and the envelope needed to encode it back. Text without a BOM is UTF-8,
// unless its NUL bytes show it to be UTF-16 (a CSV file's header is ASCII,
// so every other byte of UTF-16 text is NUL).
func decodeText(data []byte) ([]byte, envelope, error) {
	body, env, bom, err := textenc.DecodeExport(data)
	switch {
	case err != nil:
		return nil, env, err
	case bom && env.Enc == encUTF8:
		return body, env, checkUTF8(body)
	case bom:
		return body, env, nil
	}
	if enc, ok := sniffUTF16(data); ok {
		if len(data)%2 != 0 {
			return nil, env, fmt.Errorf("the file looks like UTF-16 without a byte order mark but has an odd number of bytes: save it as UTF-8 or export it again with Export-Csv -Encoding UTF8")
		}
		body, err := textenc.DecodeUTF16(data, enc == encUTF16BE)
		if err != nil {
			return nil, env, fmt.Errorf("the file looks like UTF-16 without a byte order mark: %w", err)
		}
		return body, envelope{Enc: enc}, nil
	}
	return body, env, checkUTF8(body)
}

// sniffUTF16 recognises UTF-16 text without a byte order mark by its NUL
// bytes: at least a third of the first up to 256 characters have a NUL
// high byte, all at even offsets (big endian) or all at odd offsets
// (little endian). UTF-8 text never holds a NUL byte in a CSV file.
func sniffUTF16(data []byte) (textenc.Encoding, bool) {
	head := data[:min(len(data), 512)]
	if len(head) < 2 {
		return 0, false
	}
	var even, odd int
	for i, c := range head {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	third := len(head) / 2 / 3
	switch {
	case odd > 0 && even == 0 && odd >= third:
		return encUTF16LE, true
	case even > 0 && odd == 0 && even >= third:
		return encUTF16BE, true
	}
	return 0, false
}

// checkUTF8 reports the line of the first byte that is not UTF-8.
func checkUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			line := bytes.Count(b[:i], []byte{'\n'}) + 1
			return fmt.Errorf("line %d: byte 0x%02X is not UTF-8 (an ANSI code page: Export-Csv -Encoding Default or OEM, "+
				"or Excel's \"CSV (Comma delimited)\"): export the CSV again with -Encoding UTF8, "+
				"or save it from Excel as \"CSV UTF-8 (Comma delimited)\"", line, b[i])
		}
		i += size
	}
	return nil
}
