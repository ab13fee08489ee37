package importer

import (
	"fmt"
	"strings"
)

// ParseOnConflict accepts a conflict policy (Merge, Skip, Rename, Fail) in
// any letter case, as every enumerated option of pcmig is, and returns its
// canonical lower-case spelling; "" is Merge, the default.
func ParseOnConflict(s string) (string, error) {
	if s == "" {
		return Merge, nil
	}
	for _, p := range []string{Merge, Skip, Rename, Fail} {
		if strings.EqualFold(p, s) {
			return p, nil
		}
	}
	return "", fmt.Errorf("on_conflict %q: want merge, skip, rename or fail", s)
}
