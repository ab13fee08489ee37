package lua

import (
	"strings"
	"testing"
)

// TestStringFormatAsLua51 checks string.format against what Lua 5.1.5
// gives for the same calls (the %q of a tab and the wording of argument
// errors aside).
func TestStringFormatAsLua51(t *testing.T) {
	for _, c := range []struct{ call, want string }{
		{`string.format("%d rooms", 24)`, "24 rooms"},
		{`string.format("%5d|%-5d|%05d", 42, 42, -42)`, "   42|42   |-0042"},
		{`string.format("%+d % d", 5, 5)`, "+5  5"},
		{`string.format("%d %d %d", 3.7, -3.7, "12")`, "3 -3 12"},
		{`string.format("%u %i", 65, 7)`, "65 7"},
		{`string.format("%x %X %#x %o %#o", 255, 255, 255, 8, 8)`, "ff FF 0xff 10 010"},
		{`string.format("%x", -1)`, "ffffffffffffffff"},
		{`string.format("%.3d", 7)`, "007"},
		{`string.format("%5.1f|%5.1f", 3.14159, "3.14159")`, "  3.1|  3.1"},
		{`string.format("%e %.2E", 12345.678, 0.000123)`, "1.234568e+04 1.23E-04"},
		{`string.format("%g %g %g %G %.3g %#g", 1e20, 0.0001, 123456789, 1e-10, 1234.5, 1.5)`, "1e+20 0.0001 1.23457e+08 1E-10 1.23e+03 1.50000"},
		{`string.format("%f %e %g %5.1f|", 1/0, -1/0, 1/0, -1/0)`, "inf -inf inf  -inf|"},
		{`string.format("%c%c%c %3c|", 76, 117, 97, 65)`, "Lua   A|"},
		{`string.format("%s and %s", "one", "two")`, "one and two"},
		{`string.format("%10s|%-10s|%.3s", "right", "left", "abcdef")`, "     right|left      |abc"},
		{`string.format("%s %s", 12, 1.5)`, "12 1.5"},
		{`string.format("%q", 'say "hi"\\')`, `"say \"hi\"\\"`},
		{`string.format("%q", "a\nb\r\0c\tz")`, `"a\nb\r\000c\009z"`},
		{`loadstring("return " .. string.format("%q", "a\nb\r\0c\t\1\127\200z"))() == "a\nb\r\0c\t\1\127\200z"`, "true"},
		{`string.format("100%% done %%d", 5)`, "100% done %d"},
		{`string.format("%99d", 1)`, strings.Repeat(" ", 98) + "1"},
		{`string.format("%-+ #0d", 1)`, "+1"},
		// Lua 5.2's rule for %s: any value, as tostring gives it.
		{`string.format("%s %s %s", nil, true, setmetatable({}, {__tostring = function() return "T" end}))`, "nil true T"},
	} {
		L := NewState()
		if err := L.DoString("result = tostring(" + c.call + ")"); err != nil {
			t.Errorf("%s: %v", c.call, err)
		} else if got := L.GetGlobal("result").String(); got != c.want {
			t.Errorf("%s = %q, want %q", c.call, got, c.want)
		}
		L.Close()
	}
	for _, c := range []struct{ call, want string }{
		{`string.format("%d rooms")`, "bad argument #2 to format (no value)"},
		{`string.format("%s and %s", "one")`, "bad argument #3 to format (no value)"},
		{`string.format("%d", "abc")`, "bad argument #2 to format (number expected, got string)"},
		{`string.format("%d", {})`, "bad argument #2 to format (number expected, got table)"},
		{`string.format("%f", true)`, "bad argument #2 to format (number expected, got boolean)"},
		{`string.format("%q", {})`, "bad argument #2 to format (string expected, got table)"},
		{`string.format("%5%", 1)`, "invalid option '%%' to 'format'"},
		{`string.format("%", 1)`, "invalid option '%' to 'format'"},
		{`string.format("%a", 1)`, "invalid option '%a' to 'format'"},
		{`string.format("%y", 1)`, "invalid option '%y' to 'format'"},
		{`string.format("%100d", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%.100f", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%2000000000d", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%-+ #0-d", 1)`, "invalid format (repeated flags)"},
	} {
		L := NewState()
		err := L.DoString("local x = " + c.call)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.call, err, c.want)
		}
		L.Close()
	}
}
