package runbook

import (
	"fmt"
	"strings"
	"unicode"
)

// singleQuotes are the characters PowerShell's tokenizer accepts as a single
// quote: the ASCII apostrophe and the typographic quotes U+2018, U+2019,
// U+201A and U+201B. Any of them ends a single-quoted string unless it is
// followed by another one, so each must be doubled inside a literal.
const singleQuotes = "'\u2018\u2019\u201A\u201B"

// Quote returns s as a PowerShell single-quoted string literal. Single-quoted
// strings expand nothing ($ and backticks are plain characters); the only
// escape is a doubled quote, which Quote applies to every character
// PowerShell treats as a single quote, so the literal always evaluates to s.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		b.WriteRune(r)
		if strings.ContainsRune(singleQuotes, r) {
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// quoteList returns the values as a comma-separated list of literals.
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = Quote(v)
	}
	return strings.Join(q, ", ")
}

// CommentText makes s safe to place after "# " on one comment line: line
// breaks of every kind (CR, LF, VT, FF, NEL, U+2028, U+2029) and other
// control and invisible formatting characters (including the bidirectional
// overrides that can make a line display differently from what runs) are
// replaced by visible escapes such as \n or \u202E. Tabs are kept.
func CommentText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteRune(r)
		case suspicious(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// suspicious reports whether a character is a control character, a line or
// paragraph separator, or an invisible formatting character (Unicode Cf,
// which holds the bidirectional controls and zero-width characters).
func suspicious(r rune) bool {
	return r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r))
}

// valueNote returns a comment line warning that the values of the next
// command contain line breaks or invisible characters, which a reviewer
// cannot see, or nil when they contain none. The literals themselves are
// still exact.
func valueNote(values ...string) []string {
	var found []string
	seen := map[rune]bool{}
	for _, v := range values {
		for _, r := range v {
			if suspicious(r) && !seen[r] {
				seen[r] = true
				found = append(found, fmt.Sprintf("U+%04X", r))
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	return []string{"# NOTE: a value below contains line breaks or invisible characters (" +
		strings.Join(found, ", ") + "); the quoted text is exact, check it carefully."}
}

// comment renders text as comment lines, one per line of the text, so a
// multi-line comment stays readable while no line can escape the comment.
func comment(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, l := range strings.Split(text, "\n") {
		out = append(out, strings.TrimRight("# "+CommentText(l), " "))
	}
	return out
}
