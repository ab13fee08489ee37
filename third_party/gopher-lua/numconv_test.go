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
