// Package numtext writes numbers for people to read. Reports, the inventory
// and verify's text all write counts through it, so a count reads the same
// everywhere: 1,204 messages.
package numtext

import (
	"fmt"
	"strconv"
	"strings"
)

// Thousands writes n with thousands separators: 1,204 and -1,204.
func Thousands[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// Bytes writes a size in binary units: 900 B, 1.5 KiB, 2.0 GiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, u := float64(n)/unit, 0
	for v >= unit && u < 4 {
		v /= unit
		u++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[u])
}
