package runtime

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// MemoryLimitError is the cause of a run stopped by Options.MemoryLimit.
type MemoryLimitError struct {
	Limit int64 // the limit, in bytes
	// Request is the size of the allocation refused, or 0 when the heap
	// grew past the limit by many smaller ones.
	Request int64
}

func (e *MemoryLimitError) Error() string {
	if e.Request > 0 {
		return fmt.Sprintf("memory limit of %s exceeded (the script asked for %s more)", FormatSize(e.Limit), FormatSize(e.Request))
	}
	return fmt.Sprintf("memory limit of %s exceeded", FormatSize(e.Limit))
}

// Memory limits: a run's default is a quarter of the machine's memory, at
// least MinMemoryLimit.
const (
	MinMemoryLimit = 64 << 20
	// fallbackMemory is taken as the machine's memory where it cannot be
	// read.
	fallbackMemory = 8 << 30
)

// DefaultMemoryLimit returns the memory limit of a run that sets none: a
// quarter of the machine's physical memory (or of the memory its control
// group may use, when that is less), at least MinMemoryLimit.
func DefaultMemoryLimit() int64 {
	total := systemMemory()
	if total <= 0 {
		total = fallbackMemory
	}
	return max(total/4, MinMemoryLimit)
}

// sizeNumberRE is the number of a size: digits with an optional decimal
// fraction (no sign, exponent, hexadecimal, NaN or infinity).
var sizeNumberRE = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// sizeForms says what ParseSize accepts.
const sizeForms = "give a number of bytes, or a number with a unit (B, KiB, MiB, GiB or TiB), such as 512MiB or 2GiB"

// ParseSize parses a size such as "512MiB", "2GB", "1.5g" or "1073741824"
// (bytes). K, M, G and T with or without "i" and "B" are powers of 1024.
// The number is digits with an optional decimal fraction. An error names
// the problem (not a number, infinite, negative, too large) and says what
// is accepted.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult > 1 {
			t = strings.TrimSpace(t[:n-1])
		}
	}
	bad := func(problem string) error {
		return fmt.Errorf("invalid size %q: %s; %s", s, problem, sizeForms)
	}
	if !sizeNumberRE.MatchString(t) {
		// strconv.ParseFloat reads NaN and infinity: say which it is.
		v, err := strconv.ParseFloat(t, 64)
		switch {
		case err == nil && math.IsNaN(v), strings.TrimLeft(t, "+-") == "NAN":
			return 0, bad("not a number")
		case err == nil && math.IsInf(v, 1):
			return 0, bad("a size must be finite")
		case (err == nil || errors.Is(err, strconv.ErrRange)) && v < 0:
			return 0, bad("a size cannot be negative")
		}
		return 0, bad("not a size")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v*float64(mult) >= 1<<62 {
		return 0, bad("more than pcmig can count (4 EiB)")
	}
	return int64(v * float64(mult)), nil
}

// FormatSize writes n bytes the way ParseSize reads them: "64 MiB",
// "1.5 GiB", "900 B".
func FormatSize(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
