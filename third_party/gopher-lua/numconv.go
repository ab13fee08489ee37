package lua

import (
	"math"
	"strconv"
)

// number2str writes a number as Lua 5.1 does (lua_number2str, C's "%.14g"
// on Linux): 14 significant digits, an exponent from 1e+14 on, "-0",
// "inf", "-inf", and "nan" or "-nan" as the sign bit of the NaN says.
func number2str(f float64) string {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f > -1e14 && f < 1e14 && f == math.Trunc(f) && !(f == 0 && math.Signbit(f)):
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

// isCSpace is C's isspace in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// trimCSpace removes C white space from both ends of s.
func trimCSpace(s string) string {
	for len(s) > 0 && isCSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isCSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// str2number reads s as Lua 5.1 reads a string as a number (luaO_str2d,
// for tonumber, arithmetic on strings and numerals in the source): white
// space around a decimal numeral with an optional sign, point and
// exponent, or a hexadecimal integer after "0x", with an optional sign.
// A numeral too large is an infinity, as C's strtod makes it. Go's own
// forms (0b, 0o, underscores, "Inf", hexadecimal fractions) are not
// numbers, and neither are the "inf" and "nan" that glibc's strtod
// accepts.
func str2number(s string) (LNumber, bool) {
	s = trimCSpace(s)
	body := s
	if len(body) > 0 && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		digits := body[2:]
		for i := 0; i < len(digits); i++ {
			if !isHexDigit(digits[i]) {
				return 0, false
			}
		}
		f, err := strconv.ParseFloat("0x"+digits+"p0", 64)
		if err != nil && !isRangeError(err) {
			return 0, false
		}
		if s[0] == '-' {
			f = -f
		}
		return LNumber(f), true
	}
	i, digits := 0, 0
	for i < len(body) && isDecimalDigit(body[i]) {
		i, digits = i+1, digits+1
	}
	if i < len(body) && body[i] == '.' {
		i++
		for i < len(body) && isDecimalDigit(body[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		i++
		if i < len(body) && (body[i] == '+' || body[i] == '-') {
			i++
		}
		exp := 0
		for i < len(body) && isDecimalDigit(body[i]) {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeError(err) {
		return 0, false
	}
	return LNumber(f), true
}

// str2numberBase reads s as Lua 5.1's tonumber(s, base) does for a base
// other than 10 (C's strtoul): white space around digits of the base, an
// optional sign and, in base 16, an optional "0x". Unlike strtoul a minus
// sign makes the number negative (Lua 5.2's reading, and what the Lua 5.1
// test suite expects), and a number of more than 64 bits does not stop at
// 2^64.
func str2numberBase(s string, base int) (LNumber, bool) {
	s = trimCSpace(s)
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if base == 16 && len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHexDigit(s[2]) {
		s = s[2:]
	}
	if s == "" {
		return 0, false
	}
	n := 0.0
	for i := 0; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			return 0, false
		}
		n = n*float64(base) + float64(d)
	}
	if neg {
		n = -n
	}
	return LNumber(n), true
}

func isDecimalDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool { return digitValue(c) < 16 }

// digitValue is the value of a digit of base 36, or 36 for any other byte.
func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	return 36
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// forNumbers converts the strings among a numeric for's initial value,
// limit and step (registers ra to ra+2) to numbers, as Lua 5.1's
// OP_FORPREP does; a string that is no numeral stays, for the loop's error.
func forNumbers(L *LState, ra int) {
	for i := ra; i < ra+3; i++ {
		if s, ok := L.reg.Get(i).(LString); ok {
			if v, ok := str2number(string(s)); ok {
				L.reg.Set(i, v)
			}
		}
	}
}
