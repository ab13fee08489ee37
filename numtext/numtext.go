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

// Count writes a count with its noun in the singular for one and in the
// plural otherwise: "1 room", "3 rooms", "0 rooms". The number is written
// as %d writes it (Thousands is for the reports' figures).
func Count[T ~int | ~int64](n T, one, many string) string {
	return fmt.Sprintf("%d %s", int64(n), Noun(n, one, many))
}

// Noun is one for a count of one and many otherwise, for a count written
// apart from its noun ("+1 creator", "1 of 1 room").
func Noun[T ~int | ~int64](n T, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// First writes the first show of items, joined by ", ", then how many
// more there are: "a, b, c and 4 more"; all of them when there are no
// more than show.
func First(items []string, show int) string {
	return More(items[:max(0, min(len(items), show))], len(items))
}

// More writes shown, the first of total items, joined by ", ", then how
// many more there are: "a, b and 7 more"; shown alone when it holds them
// all. It is First for a list that kept only its first few.
func More[T ~int | ~int64](shown []string, total T) string {
	s := strings.Join(shown, ", ")
	n := int64(total) - int64(len(shown))
	switch {
	case n <= 0:
		return s
	case s == "":
		return fmt.Sprintf("%d more", n)
	}
	return fmt.Sprintf("%s and %d more", s, n)
}

// Listed joins shown, the first of total items, by sep, with how many
// more there are as one more item: "a; b; and 7 more" (sep "; "); shown
// alone when it holds them all. It is More for items that hold commas.
func Listed[T ~int | ~int64](shown []string, total T, sep string) string {
	if n := int64(total) - int64(len(shown)); n > 0 {
		shown = append(shown[:len(shown):len(shown)], fmt.Sprintf("and %d more", n))
	}
	return strings.Join(shown, sep)
}

// And joins phrases as a sentence does: "a", "a and b", "a, b and c".
func And(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
