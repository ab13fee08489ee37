package lua

import (
	"math"
	"testing"
)

// TestNumber2Str checks numbers written as Lua 5.1 writes them on Linux
// (C's "%.14g"); released gopher-lua wrote 1e15 as 1000000000000000, 1/3
// with 16 digits and infinity as +Inf, and its math.huge was the largest
// finite number, not 1/0.
func TestNumber2Str(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "-0"}, {100, "100"}, {99999999999999, "99999999999999"},
		{1e14, "1e+14"}, {1e15, "1e+15"}, {1 << 53, "9.007199254741e+15"}, {-1 << 63, "-9.2233720368548e+18"},
		{0.1, "0.1"}, {0.1 + 0.2, "0.3"}, {1.0 / 3, "0.33333333333333"}, {4294967296.5, "4294967296.5"},
		{1e-5, "1e-05"}, {5e-324, "4.9406564584125e-324"}, {math.MaxFloat64, "1.7976931348623e+308"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"}, {math.Copysign(math.NaN(), -1), "-nan"},
	} {
		if got := LNumber(c.f).String(); got != c.want {
			t.Errorf("LNumber(%v).String() = %q, want %q", c.f, got, c.want)
		}
	}
	L := NewState()
	defer L.Close()
	if err := L.DoString(`local z = 0
assert(1/0 == math.huge and -1/0 == -math.huge, "math.huge")
assert(tostring(z * -1) == "-0", tostring(z * -1))
assert("x" .. 1e15 == "x1e+15", "concat")`); err != nil {
		t.Fatal(err)
	}
}

// TestStr2Number checks strings read as numbers as Lua 5.1 reads them;
// released gopher-lua read "010" as 8, "0b11" and "1_000" as numbers and
// "1e2" (no point) as nothing in tonumber, and 1e as NaN in the source.
func TestStr2Number(t *testing.T) {
	for _, c := range []struct {
		s    string
		want string // "" for not a number
	}{
		{"010", "10"}, {" \t\v\f\r\n5\n", "5"}, {"1e2", "100"}, {"-1.2E+2", "-120"}, {".5", "0.5"}, {"5.", "5"},
		{"+5", "5"}, {"0x10", "16"}, {"-0X1f", "-31"}, {"1e500", "inf"}, {"-1e500", "-inf"}, {"1e-500", "0"},
		{"0b11", ""}, {"0o7", ""}, {"1_000", ""}, {"0x", ""}, {"1e", ""}, {"1e+", ""}, {".", ""}, {"", ""},
		{"+ 5", ""}, {"inf", ""}, {"nan", ""}, {"0x1p4", ""}, {"0x1.8", ""}, {"5\x00", ""}, {"1 2", ""},
	} {
		v, ok := str2number(c.s)
		if got := map[bool]string{true: v.String()}[ok]; got != c.want {
			t.Errorf("str2number(%q) = %q, want %q", c.s, got, c.want)
		}
	}
	L := NewState()
	defer L.Close()
	if err := L.DoString(`assert(tonumber("10", 16) == 16 and tonumber(10, 16) == 16 and tonumber("0x1f", 16) == 31)
assert(tonumber("-ff", 16) == -255 and tonumber("1.5", 16) == nil and tonumber("8", 8) == nil)
assert(not pcall(tonumber, "10", 37) and not pcall(tonumber, {}, 16) and tonumber({}) == nil)
assert("010" + 0 == 10 and 0010 == 10 and not pcall(function() return "0b11" + 0 end))`); err != nil {
		t.Fatal(err)
	}
}
