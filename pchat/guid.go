package pchat

import (
	"fmt"
	"strings"
)

// CanonicalGUID returns a GUID as lower-case 8-4-4-4-12 hex digits. It
// accepts any case and optional braces, and rejects anything else.
func CanonicalGUID(s string) (string, error) {
	g := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
	if len(g) != 36 {
		return "", fmt.Errorf("malformed GUID %q", s)
	}
	for i := 0; i < 36; i++ {
		c := g[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", fmt.Errorf("malformed GUID %q", s)
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "", fmt.Errorf("malformed GUID %q", s)
		}
	}
	return strings.ToLower(g), nil
}
