package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pcmig/pcmig/textwidth"
)

// consoleWriter shows the control characters of what reaches the console
// escaped, as \u001B: names and text come from databases, archives and
// scripts that pcmig does not control, and a room named "\x1b]0;...\x07"
// would otherwise retitle, recolour or clear the operator's terminal, or
// hide the lines above it. Line feeds, tabs and carriage returns pass (the
// output's own lines, tables and progress bars). A byte that is not valid
// UTF-8 is shown as \xE9 (a raw 0x9B is CSI on a terminal that takes
// 8-bit controls). Escaped are the C0 controls, DEL, the C1 controls
// (U+0080 to U+009F), the bidirectional formatting characters, which
// reorder what a line shows, and the zero-width characters that join
// nothing (textwidth.ZeroWidth), which hide a difference between two names. JSON output is unchanged in meaning: \u001B
// is a JSON escape of the same character.
func consoleWriter(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return &console{w: w}
}

type console struct {
	mu   sync.Mutex
	w    io.Writer
	tail []byte // the start of a character the next write completes
}

// Write reports len(p) when the escaped text was written whole. A write
// that ends inside a character (a buffered writer's chunk) keeps that
// start until the next write or flush completes it.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	if len(c.tail) > 0 {
		p = append(c.tail, p...)
		c.tail = nil
	}
	if cut := partialEnd(p); cut < len(p) {
		c.tail = append([]byte(nil), p[cut:]...)
		p = p[:cut]
	}
	if err := c.write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// flush writes what a write left of a character that never completed.
func (c *console) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.tail
	c.tail = nil
	return c.write(t)
}

func (c *console) write(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if !needsEscape(p) && utf8.Valid(p) {
		_, err := c.w.Write(p)
		return err
	}
	var b bytes.Buffer
	b.Grow(len(p) + 16)
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02X`, p[i])
		case escaped(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.Write(p[i : i+n])
		}
		i += n
	}
	_, err := c.w.Write(b.Bytes())
	return err
}

// partialEnd returns where p ends in the first bytes of a character that
// the next write may complete, or len(p).
func partialEnd(p []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(p); k++ {
		i := len(p) - k
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return i
			}
			break
		}
	}
	return len(p)
}

// flushConsole writes what the console writers w hold back.
func flushConsole(ws ...io.Writer) {
	for _, w := range ws {
		if c, ok := w.(*console); ok {
			_ = c.flush() // the process is ending: nothing more can be said
		}
	}
}

// needsEscape reports whether p may hold a character consoleWriter
// escapes: a control byte, or the first byte of a C1 control (0xC2), of
// a bidirectional control or zero-width character (0xD8 for U+061C, 0xE2
// for U+200B to U+2069) or of U+FEFF (0xEF).
func needsEscape(p []byte) bool {
	for _, c := range p {
		switch {
		case c == '\n', c == '\t', c == '\r':
		case c < 0x20, c == 0x7f, c == 0xc2, c == 0xd8, c == 0xe2, c == 0xef:
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
	case textwidth.Bidi(r), textwidth.ZeroWidth(r):
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
