package runtime

import (
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/textenc"
)

// decodeSource returns the text of the script or module file name as
// UTF-8, in the encoding its byte order mark names: a UTF-8 mark is
// dropped, and UTF-16 (little or big endian), as Windows PowerShell 5.1's
// > and Out-File and Notepad's "Unicode" save text, is converted. A file
// without a mark is taken as it is. Line breaks are kept, so line numbers
// are those of the file. Bytes that are not the UTF-16 their mark says are
// a *ScriptError of kind KindSyntax naming the file and the problem, never
// the file's text.
func decodeSource(name string, src []byte) ([]byte, error) {
	body, env, _, err := textenc.Decode(src)
	if err == nil {
		if looksWide(body) {
			return nil, &ScriptError{File: name, Kind: KindSyntax, Message: "the file holds NUL bytes between its characters: " +
				"it looks like UTF-16 or UTF-32 text without a byte order mark pcmig reads (UTF-32, or UTF-16 after a UTF-8 mark); " +
				"save it again as UTF-8 or UTF-16 with a byte order mark"}
		}
		return body, nil
	}
	enc := "UTF-16LE"
	if env.Enc == textenc.UTF16BE {
		enc = "UTF-16BE"
	}
	mark := "the file starts with a " + enc + " byte order mark but"
	var se *textenc.SurrogateError
	var msg string
	switch {
	case errors.Is(err, textenc.ErrOddLength):
		msg = mark + " has an odd number of bytes, so it is not UTF-16 text (cut short, or not saved as UTF-16)"
	case errors.As(err, &se):
		msg = fmt.Sprintf("%s holds an unpaired surrogate at byte %d, which UTF-16 text cannot hold", mark, se.Offset)
	default:
		msg = mark + " is not valid UTF-16: " + err.Error()
	}
	return nil, &ScriptError{File: name, Kind: KindSyntax, Message: msg + "; save it again as UTF-8 or UTF-16", Err: err}
}

// looksWide reports text in a wide encoding read as bytes: Lua source
// holds no NUL bytes, while UTF-16 has one in every other byte of ASCII
// text and UTF-32 three in four. A quarter of the first 512 bytes being
// NUL is taken as that, so a stray NUL in a string literal is not.
func looksWide(b []byte) bool {
	b = b[:min(len(b), 512)]
	nul := 0
	for _, c := range b {
		if c == 0 {
			nul++
		}
	}
	return nul > 0 && nul*4 >= len(b)
}
