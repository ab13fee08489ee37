package topology

import (
	"github.com/pcmig/pcmig/textenc"
)

// envelope records how the bytes of a document were encoded, so that an
// edited body can be written back in exactly the same form. Windows
// PowerShell 5.1 writes UTF-16LE with a byte order mark when Get-CsTopology
// -AsXml is redirected with > or Out-File; PowerShell 7 and Set-Content
// -Encoding UTF8 write UTF-8, with or without a BOM; Out-File -Encoding
// UTF32 writes UTF-32 with a BOM.
type envelope = textenc.Envelope

const (
	encUTF8    = textenc.UTF8
	encUTF16LE = textenc.UTF16LE
	encUTF16BE = textenc.UTF16BE
)

// decodeText returns the UTF-8 body of data (without any byte order mark)
// and the envelope needed to encode it back. An XML document without a BOM
// whose first character is "<" in UTF-16 is read as UTF-16.
func decodeText(data []byte) ([]byte, envelope, error) {
	body, env, ok, err := textenc.DecodeExport(data)
	switch {
	case ok:
		return body, env, err
	case len(data) >= 2 && data[0] == '<' && data[1] == 0:
		body, err := textenc.DecodeUTF16(data, false)
		return body, envelope{Enc: encUTF16LE}, err
	case len(data) >= 2 && data[0] == 0 && data[1] == '<':
		body, err := textenc.DecodeUTF16(data, true)
		return body, envelope{Enc: encUTF16BE}, err
	}
	return body, env, nil
}
