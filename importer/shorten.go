package importer

import (
	"fmt"
	"unicode/utf8"

	"github.com/pcmig/pcmig/numtext"
)

// longestShown is the most characters of a name a problem shows whole:
// more than any name column holds (256).
const longestShown = 300

// shorten returns s, or when it has more than longestShown characters its
// first 100 followed by how many it has.
func shorten(s string) string {
	if len(s) <= longestShown || utf8.RuneCountInString(s) <= longestShown {
		return s
	}
	n, cut := 0, 0
	for i := range s {
		if n == 100 {
			cut = i
			break
		}
		n++
	}
	return fmt.Sprintf("%s… (%s characters)", s[:cut], numtext.Thousands(utf8.RuneCountInString(s)))
}
