package archive

import (
	"bytes"
	"encoding/json"
	"slices"
)

// upperTimes returns data with the RFC 3339 time strings of the given
// top-level keys written with an upper-case T and Z. RFC 3339 §5.6 (NOTE)
// allows "t" and "z" in lower case; Go's time parsing refuses them. Only
// the date-time separator (the 11th character) and a final z are changed,
// and only in a string of RFC 3339's shape, so anything else is left for
// the decoder to refuse. data is not modified: a copy is made when a time
// needs one.
func upperTimes(data []byte, keys ...string) []byte {
	return rewriteValues(data, func(key string, v []byte) ([]byte, bool) {
		if v[0] != '"' || !slices.Contains(keys, key) {
			return v, false
		}
		return upperTime(v)
	})
}

// rewriteValues returns data, a JSON object, with the values of its
// top-level keys that fix changes replaced (fix gets each key and value
// text, and returns the value to put in its place and whether it
// changed it). Anything that does not parse is left as it is, for the
// decoder to refuse. data is not modified: the result is built in one
// copy when a value changes, so that a line repeating a key (which the
// decoder refuses) costs its length, not its length per repeat.
func rewriteValues(data []byte, fix func(key string, v []byte) ([]byte, bool)) []byte {
	var out []byte // nil until a value changes
	copied := 0    // data[:copied] is in out
	done := func() []byte {
		if out == nil {
			return data
		}
		return append(out, data[copied:]...)
	}
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return data
	}
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] == '"' {
		end, escaped, ok := skipString(data, i)
		if !ok {
			return done()
		}
		key := string(data[i+1 : end-1])
		if escaped {
			if json.Unmarshal(data[i:end], &key) != nil {
				return done()
			}
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return done()
		}
		i = skipSpace(data, i+1)
		vEnd, ok := skipValue(data, i)
		if !ok || vEnd == i {
			return done()
		}
		if fixed, changed := fix(key, data[i:vEnd]); changed {
			if out == nil {
				out = make([]byte, 0, len(data)+len(fixed))
			}
			out = append(append(out, data[copied:i]...), fixed...)
			copied = vEnd
		}
		i = skipSpace(data, vEnd)
		if i >= len(data) || data[i] != ',' {
			return done()
		}
		i = skipSpace(data, i+1)
	}
	return done()
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

// wholeNumbers returns data with the values of the given top-level keys
// that are JSON numbers of a whole value written with a fraction or an
// exponent ("1.0", "1e0", "0.1e1") written as that whole number. JSON has
// one kind of number, and an encoder whose numbers are doubles may write
// 1 so (docs/archive-format.md §2); a number that is not whole, or past
// 20 digits, is left for the decoder to refuse. A shorter number is
// followed by spaces (JSON white space) to its old length, so that the
// line's later columns are unchanged.
func wholeNumbers(data []byte, keys ...string) []byte {
	return rewriteValues(data, func(key string, v []byte) ([]byte, bool) {
		if !slices.Contains(keys, key) || bytes.IndexAny(v, ".eE") < 0 {
			return v, false
		}
		w, ok := wholeNumber(v)
		if !ok {
			return v, false
		}
		if len(w) < len(v) {
			w = append(w, bytes.Repeat([]byte{' '}, len(v)-len(w))...)
		}
		return w, true
	})
}

// wholeNumber returns the JSON number v written as a whole number
// without fraction or exponent, if its value is whole and it has at most
// 20 digits.
func wholeNumber(v []byte) ([]byte, bool) {
	neg := len(v) > 0 && v[0] == '-'
	if neg {
		v = v[1:]
	}
	digits := func(b []byte) int {
		n := 0
		for n < len(b) && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		return n
	}
	n := digits(v)
	if n == 0 || (n > 1 && v[0] == '0') {
		return nil, false
	}
	mant := append([]byte(nil), v[:n]...)
	point := n
	v = v[n:]
	if len(v) > 0 && v[0] == '.' {
		f := digits(v[1:])
		if f == 0 {
			return nil, false
		}
		mant = append(mant, v[1:1+f]...)
		v = v[1+f:]
	}
	if len(v) > 0 && (v[0] == 'e' || v[0] == 'E') {
		v = v[1:]
		expNeg := len(v) > 0 && v[0] == '-'
		if len(v) > 0 && (v[0] == '-' || v[0] == '+') {
			v = v[1:]
		}
		e := digits(v)
		if e == 0 || e > 4 {
			return nil, false
		}
		exp := 0
		for _, c := range v[:e] {
			exp = exp*10 + int(c-'0')
		}
		if expNeg {
			exp = -exp
		}
		point += exp
		v = v[e:]
	}
	if len(v) != 0 {
		return nil, false
	}
	// The digits after the point must all be 0.
	for i := max(point, 0); i < len(mant); i++ {
		if mant[i] != '0' {
			return nil, false
		}
	}
	var whole []byte
	switch {
	case point <= 0 || len(bytes.Trim(mant, "0")) == 0:
		whole = []byte{'0'}
	case point <= len(mant):
		whole = mant[:point]
	case point <= 20:
		whole = append(mant, bytes.Repeat([]byte{'0'}, point-len(mant))...)
	default:
		return nil, false
	}
	for len(whole) > 1 && whole[0] == '0' {
		whole = whole[1:]
	}
	if len(whole) > 20 {
		return nil, false
	}
	if neg && !(len(whole) == 1 && whole[0] == '0') {
		whole = append([]byte{'-'}, whole...)
	}
	return whole, true
}
