// Package textwidth measures text as a terminal shows it, so that tables of
// names in any script (日本語, emoji, combining accents) line up.
//
// Widths come from github.com/rivo/uniseg, which splits text into grapheme
// clusters (Unicode UAX #29) and gives each the East Asian width of its
// first character, with emoji presentation counted wide: a skin-tone
// modifier, a ZWJ family or a flag is one grapheme of two columns, a
// combining accent adds none.
package textwidth

import (
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/numtext"
	"github.com/rivo/uniseg"
)

// Width is the number of columns a terminal gives s.
func Width(s string) int { return uniseg.StringWidth(s) }

// Pad returns s followed by spaces up to width columns.
func Pad(s string, width int) string {
	if n := Width(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// OneLine returns s with its line breaks written as \n and \r, for a
// value printed inside a line of its own (a log record, a problem of a
// list): a name that holds a line break could otherwise start a console
// line of its own, which a hostile pool or archive would word as pcmig's
// ("WARN ...", "EQUAL: ..."). Files and reports keep the value as it is.
func OneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// Continued returns s for the console as the rest of a line that starts
// with a prefix (an error after "pcmig: "): its line breaks are kept, for
// the errors that have lines of their own (a list of problems, a Lua
// traceback), but every line after the first is indented by indent
// spaces, so that no line of s starts a console line of its own, which a
// hostile name inside an error would word as pcmig's ("INFO ...",
// "EQUAL: ..."). A carriage return that does not end a line is shown as
// \r (it would move the cursor back over the prefix); line breaks at the
// end are dropped.
func Continued(s string, indent int) string {
	s = strings.TrimRight(s, "\r\n")
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", `\r`)
	pad := strings.Repeat(" ", indent)
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// LongestShown is the most characters of a name Shorten leaves whole:
// more than any name column holds (256).
const LongestShown = 300

// Shorten returns s, or, when it has more than LongestShown characters,
// its first 100 followed by how many it has: "Sales team Sales team … (1,048,576
// characters)". A name in a hand-made archive may be megabytes long, and
// a console line should not be.
func Shorten(s string) string {
	if len(s) <= LongestShown || utf8.RuneCountInString(s) <= LongestShown {
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
	return s[:cut] + "… (" + numtext.Thousands(utf8.RuneCountInString(s)) + " characters)"
}

// Bidi reports whether r is a bidirectional formatting character: the
// embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069)
// and the marks (U+061C, U+200E, U+200F), which reorder the text around
// them, so that a name can show as another.
func Bidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// ZeroWidth reports whether r is an invisible character that joins
// nothing: the zero-width space, the word joiner and invisible operators,
// and the zero-width no-break space (a byte order mark). "Sa\u200Bles"
// would otherwise read as "Sales". The zero-width joiner and non-joiner,
// which emoji sequences and several scripts need, are not among them.
func ZeroWidth(r rune) bool {
	return r == 0x200b || r >= 0x2060 && r <= 0x2064 || r == 0xfeff
}

// FirstControl returns the first control character of s (C0, DEL or C1:
// U+0000 to U+001F, U+007F to U+009F).
func FirstControl(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return r, true
		}
	}
	return 0, false
}
