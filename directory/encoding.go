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
// (PowerShell 7), ASCII (the 5.1 default, a subset of UTF-8) or UTF-16 with
// a BOM (-Encoding Unicode / BigEndianUnicode).
type envelope = textenc.Envelope

const (
	encUTF8    = textenc.UTF8
	encUTF16LE = textenc.UTF16LE
	encUTF16BE = textenc.UTF16BE
)

// decodeText returns the UTF-8 body of data (without any byte order mark)
// and the envelope needed to encode it back. Text without a BOM must be
// UTF-8.
func decodeText(data []byte) ([]byte, envelope, error) {
	body, env, _, err := textenc.Decode(data)
	if err == nil && env.Enc == encUTF8 {
		err = checkUTF8(body)
	}
	return body, env, err
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
			return fmt.Errorf("line %d: byte 0x%02X is not UTF-8: export the CSV with -Encoding UTF8", line, b[i])
		}
		i += size
	}
	return nil
}
