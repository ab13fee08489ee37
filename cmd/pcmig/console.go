package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/textwidth"
)

// consoleWriter shows the control characters of what reaches the console
// escaped, as \u001B: names and text come from databases, archives and
// scripts that pcmig does not control, and a room named "\x1b]0;...\x07"
// would otherwise retitle, recolour or clear the operator's terminal, or
// hide the lines above it. Line feeds, tabs and carriage returns pass (the
// output's own lines, tables and progress bars); so does any byte that is
// not valid UTF-8. Escaped are the C0 controls, DEL, the C1 controls
// (U+0080 to U+009F) and the bidirectional formatting characters, which
// reorder what a line shows. JSON output is unchanged in meaning: \u001B
// is a JSON escape of the same character.
func consoleWriter(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return &console{w: w}
}

type console struct{ w io.Writer }

// Write reports len(p) when the escaped text was written whole.
func (c *console) Write(p []byte) (int, error) {
	if !needsEscape(p) {
		return c.w.Write(p)
	}
	var b bytes.Buffer
	b.Grow(len(p) + 16)
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n == 1 || !escaped(r) {
			b.Write(p[i : i+n])
		} else {
			fmt.Fprintf(&b, `\u%04X`, r)
		}
		i += n
	}
	if _, err := c.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// needsEscape reports whether p may hold a character consoleWriter
// escapes: a control byte, or the first byte of a C1 control (0xC2) or of
// a bidirectional control (0xD8 for U+061C, 0xE2 for U+200E to U+2069).
func needsEscape(p []byte) bool {
	for _, c := range p {
		switch {
		case c == '\n', c == '\t', c == '\r':
		case c < 0x20, c == 0x7f, c == 0xc2, c == 0xd8, c == 0xe2:
			return true
		}
	}
	return false
}

// escaped reports whether the console shows r as an escape.
func escaped(r rune) bool {
	switch {
	case r == '\n', r == '\t', r == '\r':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// errorIndent is how far the further lines of an error are indented: under
// its first line's text, after "pcmig: ".
const errorIndent = len("pcmig: ")

// printError writes err to w as "PREFIX message": a list of errors
// (errors.Join, such as validate's findings) as one line each, every
// line of a message after its first indented (textwidth.Continued), so a
// line break inside an error, such as a hostile name it quotes, cannot
// start a console line that reads as pcmig's own.
func printError(w io.Writer, prefix string, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var texts []string
		for _, e := range j.Unwrap() {
			if e != nil {
				texts = append(texts, e.Error())
			}
		}
		if len(texts) > 0 && strings.Join(texts, "\n") == err.Error() {
			for _, e := range j.Unwrap() {
				if e != nil {
					printError(w, prefix, e)
				}
			}
			return
		}
	}
	fmt.Fprintf(w, "%s%s\n", prefix, textwidth.Continued(err.Error(), errorIndent))
}
