package lua

import (
	"fmt"
	"math"
	"strings"
)

// strFormat is string.format as Lua 5.1 defines it (lstrlib.c str_format):
// each conversion takes the next argument, which must be there ("no
// value") and be a number for c, d, i, o, u, x, X, e, E, f, g and G (a
// numeric string is converted); flags are "-+ #0", width and precision
// have at most two digits, and any other conversion is an error. %s takes
// any value as tostring gives it (Lua 5.2's rule; 5.1 took only strings
// and numbers), %q writes a string as a Lua literal on one line.
func strFormat(L *LState) int {
	str := L.CheckString(1)
	top := L.GetTop()
	args := make([]interface{}, 0, top)
	for i := 2; i <= top; i++ {
		args = append(args, L.Get(i))
	}
	L.checkAlloc(formatSize(str, args))
	var b strings.Builder
	arg := 1
	for i := 0; i < len(str); {
		c := str[i]
		i++
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i < len(str) && str[i] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		spec, conv, next := scanFormat(L, str, i)
		i = next
		if conv == 0 {
			L.RaiseError("invalid option '%s' to 'format'", "%")
		}
		arg++
		if arg > top {
			L.ArgError(arg, "no value")
		}
		switch conv {
		case 'c':
			b.WriteString(fmt.Sprintf("%"+spec+"s", string([]byte{byte(formatInt(L.CheckNumber(arg)))})))
		case 'd', 'i':
			b.WriteString(fmt.Sprintf("%"+spec+"d", formatInt(L.CheckNumber(arg))))
		case 'o', 'u', 'x', 'X':
			verb := conv
			if verb == 'u' {
				verb = 'd'
			}
			b.WriteString(fmt.Sprintf("%"+spec+string(verb), uint64(formatInt(L.CheckNumber(arg)))))
		case 'e', 'E', 'f', 'g', 'G':
			b.WriteString(formatFloat(spec, conv, float64(L.CheckNumber(arg))))
		case 'q':
			writeQuoted(&b, L.CheckString(arg))
		case 's':
			b.WriteString(fmt.Sprintf("%"+spec+"s", L.ToStringMeta(L.Get(arg)).String()))
		default:
			L.RaiseError("invalid option '%%%c' to 'format'", conv)
		}
	}
	L.Push(LString(b.String()))
	return 1
}

// scanFormat reads a conversion's flags, width and precision from
// format[i:], as Lua 5.1's scanformat does, and returns them, the
// conversion character (0 at the end of the format) and the index after it.
func scanFormat(L *LState, format string, i int) (spec string, conv byte, next int) {
	start := i
	for i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0 {
		i++
	}
	if i-start > 5 {
		L.RaiseError("invalid format (repeated flags)")
	}
	digits := func() {
		for n := 0; n < 2 && i < len(format) && isDigit(format[i]); n++ {
			i++
		}
	}
	digits()
	if i < len(format) && format[i] == '.' {
		i++
		digits()
	}
	if i < len(format) && isDigit(format[i]) {
		L.RaiseError("invalid format (width or precision too long)")
	}
	if i == len(format) {
		return format[start:i], 0, i
	}
	return format[start:i], format[i], i + 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// formatInt converts a number to an integer as C's cast does on the
// platforms Lua runs on: towards zero, and NaN or a value out of range as
// the smallest integer.
func formatInt(n LNumber) int64 {
	f := float64(n)
	if math.IsNaN(f) || f >= 9223372036854775807 || f < -9223372036854775808 {
		return math.MinInt64
	}
	return int64(f)
}

// formatFloat formats f as C's printf does: %g without a precision means
// 6 significant digits (Go's means as many as needed), and infinities and
// NaN are written inf and nan (INF and NAN for E and G).
func formatFloat(spec string, conv byte, f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		switch {
		case math.IsNaN(f):
			s = "nan"
		case f < 0:
			s = "-inf"
		case strings.IndexByte(spec, '+') >= 0:
			s = "+inf"
		case strings.IndexByte(spec, ' ') >= 0:
			s = " inf"
		}
		if conv == 'E' || conv == 'G' {
			s = strings.ToUpper(s)
		}
		width := strings.TrimLeft(strings.SplitN(spec, ".", 2)[0], "-+ #0")
		pad := "%"
		if strings.IndexByte(spec, '-') >= 0 {
			pad += "-"
		}
		return fmt.Sprintf(pad+width+"s", s)
	}
	if (conv == 'g' || conv == 'G') && strings.IndexByte(spec, '.') < 0 {
		spec += ".6"
	}
	return fmt.Sprintf("%"+spec+string(conv), f)
}

// writeQuoted writes s as a Lua string literal that Lua 5.1 reads back as
// s: quotes and backslashes escaped, a line feed as \n and a carriage
// return as \r (so the literal stays on one line), other control
// characters and NUL as \ddd; other bytes as they are.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\`)
			b.WriteString(fmt.Sprintf("%03d", c))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
