package archive

import (
	"bytes"
	"encoding/json"
)

// upperTimes returns data with the RFC 3339 time strings of the given
// top-level keys written with an upper-case T and Z. RFC 3339 §5.6 (NOTE)
// allows "t" and "z" in lower case; Go's time parsing refuses them. Only
// the date-time separator (the 11th character) and a final z are changed,
// and only in a string of RFC 3339's shape, so anything else is left for
// the decoder to refuse. data is not modified: a copy is made when a time
// needs one.
func upperTimes(data []byte, keys ...string) []byte {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return data
	}
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] == '"' {
		end, escaped, ok := skipString(data, i)
		if !ok {
			return data
		}
		key := string(data[i+1 : end-1])
		if escaped {
			if json.Unmarshal(data[i:end], &key) != nil {
				return data
			}
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return data
		}
		i = skipSpace(data, i+1)
		vEnd, ok := skipValue(data, i)
		if !ok {
			return data
		}
		for _, k := range keys {
			if k == key && data[i] == '"' {
				if fixed, changed := upperTime(data[i:vEnd]); changed {
					// A copy, walked again for the other keys.
					out := append(append(append(make([]byte, 0, len(data)), data[:i]...), fixed...), data[vEnd:]...)
					return upperTimes(out, keys...)
				}
			}
		}
		i = skipSpace(data, vEnd)
		if i >= len(data) || data[i] != ',' {
			return data
		}
		i = skipSpace(data, i+1)
	}
	return data
}

// upperTime returns the JSON string s (quotes included) with an RFC 3339
// date-time's lower-case t and z made upper-case, and whether it changed.
// A string with escapes is decoded first: "\u0074" is JSON's "t", and a
// JSON encoder may write any character so (docs/archive-format.md §2:
// readers accept every JSON escape); the decoded text, when it is
// printable ASCII, takes the escapes' place, and spaces (JSON white space
// after the string) the rest of it, so that the line's later columns are
// unchanged. Anything else is left to the checks of the text and to the
// decoder.
func upperTime(s []byte) ([]byte, bool) {
	v := s[1 : len(s)-1]
	changed := false
	if bytes.IndexByte(v, '\\') >= 0 {
		var text string
		if json.Unmarshal(s, &text) != nil {
			return s, false
		}
		for i := 0; i < len(text); i++ {
			if c := text[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
				return s, false
			}
		}
		plain := append(append(append(make([]byte, 0, len(s)), '"'), text...), '"')
		v, changed = plain[1:len(plain)-1], true
		s = append(plain, bytes.Repeat([]byte{' '}, len(s)-len(plain))...)
	}
	if len(v) < len("2006-01-02T15:04:05Z") {
		return s, changed
	}
	for _, c := range v {
		if c < 0x20 || c >= 0x7f {
			return s, changed
		}
	}
	b := append([]byte(nil), s...)
	if v[10] == 't' && v[4] == '-' && v[7] == '-' && v[13] == ':' {
		b[11], changed = 'T', true
	}
	if n := 1 + len(v) - 1; b[n] == 'z' {
		b[n], changed = 'Z', true
	}
	return b, changed
}
