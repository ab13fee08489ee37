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
