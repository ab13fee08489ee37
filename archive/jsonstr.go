package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/jsonerr"
)

const hexDigits = "0123456789abcdef"

// strSpecial marks the bytes appendString cannot copy as they are: control
// characters, quote, backslash, and every non-ASCII byte (checked as UTF-8
// and for U+2028/U+2029).
var strSpecial = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf
	}
	return t
}()

// appendString appends s as a JSON string. It escapes quote, backslash, all
// control characters and U+2028/U+2029 (line separators to JavaScript), and
// copies everything else verbatim, so any valid UTF-8 string, NUL included,
// round-trips exactly. It reports false, having appended garbage, if s is
// not valid UTF-8.
func appendString(b []byte, s string) ([]byte, bool) {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i = skipPlain(s, i); i == len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				return b, false
			case r == '\u2028' || r == '\u2029':
				b = append(b, s[start:i]...)
				b = append(b, `\u202`...)
				b = append(b, hexDigits[r&0xf])
				start = i + size
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"'), true
}

// parseString decodes the JSON string starting at line[i] (a quote) and
// appends its value to dst. It returns the index after the closing quote.
// It reports false for anything it does not decode exactly as the JSON
// grammar says (raw control characters, bad escapes, lone surrogates,
// invalid UTF-8), so the caller can fall back to the general path, which
// reports the error.
func parseString(dst, line []byte, i int) ([]byte, int, bool) {
	if i >= len(line) || line[i] != '"' {
		return dst, 0, false
	}
	i++
	start := i
	for i < len(line) {
		if i = skipPlain(line, i); i == len(line) {
			break
		}
		c := line[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(line[i:])
			if r == utf8.RuneError && size == 1 {
				return dst, 0, false
			}
			i += size
			continue
		}
		dst = append(dst, line[start:i]...)
		switch {
		case c == '"':
			return dst, i + 1, true
		case c < 0x20:
			return dst, 0, false
		}
		var ok bool
		if dst, i, ok = parseEscape(dst, line, i); !ok {
			return dst, 0, false
		}
		start = i
	}
	return dst, 0, false
}

// matchString reports whether the JSON string starting at line[i] (a
// quote) is one parseString decodes, and decodes to want; it returns the
// index after the closing quote. It compares in place, copying nothing:
// the Writer's check of each message it encodes (msgDecoder.matches).
func matchString(line []byte, i int, want string) (int, bool) {
	if i >= len(line) || line[i] != '"' {
		return 0, false
	}
	i++
	start := i
	var esc [utf8.UTFMax]byte
	for i < len(line) {
		if i = skipPlain(line, i); i == len(line) {
			break
		}
		c := line[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(line[i:])
			if r == utf8.RuneError && size == 1 {
				return 0, false
			}
			i += size
			continue
		}
		n := i - start
		if n > len(want) || string(line[start:i]) != want[:n] {
			return 0, false
		}
		want = want[n:]
		switch {
		case c == '"':
			return i + 1, want == ""
		case c < 0x20:
			return 0, false
		}
		dec, j, ok := parseEscape(esc[:0], line, i)
		if !ok || len(dec) > len(want) || string(dec) != want[:len(dec)] {
			return 0, false
		}
		want = want[len(dec):]
		i, start = j, j
	}
	return 0, false
}

// parseEscape decodes the escape at line[i] (a backslash).
func parseEscape(dst, line []byte, i int) ([]byte, int, bool) {
	if i+1 >= len(line) {
		return dst, 0, false
	}
	switch c := line[i+1]; c {
	case '"', '\\', '/':
		return append(dst, c), i + 2, true
	case 'b':
		return append(dst, '\b'), i + 2, true
	case 'f':
		return append(dst, '\f'), i + 2, true
	case 'n':
		return append(dst, '\n'), i + 2, true
	case 'r':
		return append(dst, '\r'), i + 2, true
	case 't':
		return append(dst, '\t'), i + 2, true
	case 'u':
		r, ok := hex4(line, i+2)
		if !ok {
			return dst, 0, false
		}
		i += 6
		if r >= 0xd800 && r < 0xdc00 {
			if i+1 >= len(line) || line[i] != '\\' || line[i+1] != 'u' {
				return dst, 0, false
			}
			lo, ok := hex4(line, i+2)
			if !ok || lo < 0xdc00 || lo >= 0xe000 {
				return dst, 0, false
			}
			r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			i += 6
		} else if r >= 0xdc00 && r < 0xe000 {
			return dst, 0, false
		}
		return utf8.AppendRune(dst, r), i, true
	}
	return dst, 0, false
}

// hex4 decodes the four hex digits at line[i:].
func hex4(line []byte, i int) (rune, bool) {
	if i+4 > len(line) {
		return 0, false
	}
	var r rune
	for _, c := range line[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// checkSurrogates refuses \u escapes of lone UTF-16 surrogates, which
// encoding/json would silently turn into U+FFFD. Outside strings a valid
// JSON text has no backslashes, so the whole line can be scanned.
func checkSurrogates(line []byte) error {
	for i := 0; i < len(line); i++ {
		if line[i] != '\\' {
			continue
		}
		if i+1 >= len(line) || line[i+1] != 'u' {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		r, ok := hex4(line, i+2)
		if !ok {
			return nil // not JSON; encoding/json reports it
		}
		switch {
		case r >= 0xd800 && r < 0xdc00:
			lo, ok := hex4(line, i+8)
			if !ok || line[i+6] != '\\' || line[i+7] != 'u' || lo < 0xdc00 || lo >= 0xe000 {
				return loneSurrogate(line, i)
			}
			i += 11
		case r >= 0xdc00 && r < 0xe000:
			return loneSurrogate(line, i)
		default:
			i += 5
		}
	}
	return nil
}

// keyRule says how a record may carry one key.
type keyRule struct {
	key      string
	optional bool // may be absent
	nullable bool // may be null
	// digits marks an int64 string (§2): a JSON string of decimal digits
	// with an optional leading '-'. encoding/json's ",string" option
	// reads the string "null" as no value, leaving 0, and its error for
	// other strings names neither the key nor what is wrong.
	digits bool
}

// checkDigits refuses, as the value of a key that rule marks as an int64
// string, a string that is not decimal digits with an optional leading
// '-' within int64, saying what it found (never the value itself, which
// is the file's text): raw is the value's JSON text.
func (rule *keyRule) checkDigits(raw []byte) error {
	if !rule.digits || len(raw) < 2 || raw[0] != '"' {
		return nil
	}
	s := string(raw[1 : len(raw)-1])
	if strings.IndexByte(s, '\\') >= 0 {
		if json.Unmarshal(raw, &s) != nil {
			return nil // the decoder says what is wrong with the string
		}
	}
	if found := int64Problem(s); found != "" {
		return fmt.Errorf("%s: expected a whole number from %d to %d written as a string, found %s", rule.key, math.MinInt64, math.MaxInt64, found)
	}
	return nil
}

// int64Problem says what s, the text of an int64 string, holds that is
// not decimal digits with an optional leading '-' within int64 ("" when
// nothing). It describes the text without quoting it, but for null.
func int64Problem(s string) string {
	digits := strings.TrimPrefix(s, "-")
	switch {
	case s == "null":
		return `"null", which is not a number`
	case s == "":
		return "an empty string"
	case strings.TrimSpace(s) != s:
		return "white space before or after the number (a string of digits has none)"
	case strings.HasPrefix(s, "+"):
		return "a leading '+' (a positive number is written without a sign)"
	case strings.ContainsAny(digits, ".eE") && strings.Trim(digits, "0123456789.eE+-") == "":
		return "a fraction or an exponent (the number is written as whole decimal digits)"
	case digits == "" || strings.Trim(digits, "0123456789") != "":
		return "characters other than decimal digits and a leading '-'"
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return fmt.Sprintf("a number of %d digits, outside that range", len(digits))
	}
	return ""
}

// checkKeys checks the keys of the JSON object in line against rules:
// each key known, spelled exactly (encoding/json alone would match case-
// insensitively), present at most once, not null unless allowed, and every
// required key present.
func checkKeys(line []byte, rules []keyRule) error {
	if ok, err := quickKeys(line, rules); ok {
		return err
	}
	return checkKeysSlow(line, rules)
}

// checkKeysSlow is checkKeys with encoding/json's tokenizer: for lines
// quickKeys leaves to it (not plain JSON objects), so that their errors
// are encoding/json's.
func checkKeysSlow(line []byte, rules []keyRule) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil {
		return errors.New(jsonerr.InLine(line, err, nil))
	} else if tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	seen := make([]bool, len(rules))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errors.New(jsonerr.InLine(line, err, nil))
		}
		key, _ := tok.(string)
		idx := -1
		for i := range rules {
			if rules[i].key == key {
				idx = i
				break
			}
		}
		if idx < 0 {
			return errUnknownField
		}
		if seen[idx] {
			return fmt.Errorf("field %q appears twice", key)
		}
		seen[idx] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return errors.New(jsonerr.InLine(line, err, nil))
		}
		if !rules[idx].nullable && string(raw) == "null" {
			return fmt.Errorf("field %q is null", key)
		}
		if err := rules[idx].checkDigits(raw); err != nil {
			return err
		}
	}
	for i, r := range rules {
		if !seen[i] && !r.optional {
			return fmt.Errorf("field %q is missing", r.key)
		}
	}
	return nil
}

// decodeStrict decodes one record line with encoding/json after checkKeys
// and checkSurrogates.
func decodeStrict(line []byte, rules []keyRule, v any) error {
	if !utf8.Valid(line) {
		return ErrInvalidUTF8
	}
	if err := checkSurrogates(line); err != nil {
		return err
	}
	if err := checkKeys(line, rules); err != nil {
		return err
	}
	if err := json.Unmarshal(line, v); err != nil {
		// encoding/json quotes what it stopped at: say where and what
		// was expected instead.
		return errors.New(jsonerr.InLine(line, err, v))
	}
	return nil
}

// loneSurrogate says where the escape at byte i of data is (the escape
// is the file's text: never quoted).
func loneSurrogate(data []byte, i int) error {
	head := data[:i]
	col := utf8.RuneCount(head[bytes.LastIndexByte(head, '\n')+1:]) + 1
	if n := bytes.Count(head, []byte{'\n'}); n > 0 {
		return fmt.Errorf("line %d, column %d: a lone UTF-16 surrogate escape in a string", n+1, col)
	}
	return fmt.Errorf("column %d: a lone UTF-16 surrogate escape in a string", col)
}

// errUnknownField is a record key no rule names. The key is the file's
// text: never quoted.
var errUnknownField = errors.New("a field pcmig does not write")
