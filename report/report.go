// Package report is pcmig's one report system: every report (a run, an
// export, an import, a verification) is a Page, written as a self-contained
// HTML file for people or as JSON for machines, with the same content.
//
// A page answers "did it work" on its first screen: a status line, the
// source and target totals side by side, the reconciliation verdict, the
// warnings and errors counted, and a small inline SVG of messages and rooms
// per category, source beside target. The detail (per step, per category,
// per room) follows. The HTML has inline styles only, no scripts and no
// external resources, and prints on paper as it shows on screen. Reports
// never contain secrets: databases are named by their redacted
// descriptions.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// Status levels.
const (
	OK   = "ok"   // it worked
	Info = "info" // nothing failed, nothing to judge (a dry run)
	Warn = "warn" // it worked with warnings, or changes are pending
	Fail = "fail" // it failed, or the target differs
)

// Page is one report.
type Page struct {
	Kind      string    // "run", "export", "import" or "verify"
	Title     string    // what the report is about
	Subtitle  string    // where (estate, database), without secrets
	Generated time.Time // written in UTC
	Status    Status
	Facts     []Fact // mode, times, script, archive...
	// SourceLabel and TargetLabel name the two sides of Totals and Chart
	// ("Source" and "Target"; "Archive" for exports and imports).
	SourceLabel, TargetLabel string
	Totals                   []Total
	Warnings, Errors         int
	Verdict                  *Verdict // nil when nothing was reconciled
	Chart                    []Bar    // per category; empty for none
	ChartNote                string   // e.g. "the 15 busiest of 200 categories"
	Sections                 []Section
}

// Status is the answer to "did it work".
type Status struct {
	Level    string // OK, Info, Warn or Fail
	Badge    string // one or two words: DONE, EQUAL, FAILED, DRY RUN
	Headline string
	Detail   string
}

// Fact is one labelled value of the summary.
type Fact struct{ Label, Value string }

// Total is one figure on both sides. Without a target only Source shows.
type Total struct {
	Label     string
	Source    int64
	Target    int64
	HasTarget bool
}

// Verdict is a reconciliation of source and target.
type Verdict struct {
	Verdict     string   // EQUAL or DIFFERENT
	Equal       bool     //
	Summary     string   // one line
	Checks      []Check  // what was compared, each passed or not
	Differences []string // every difference, in words
	Notes       []string // what was not compared and why
}

// Check is one line of a verdict: what was compared and whether it held.
type Check struct {
	Label string
	OK    bool
}

// Bar is one category of the chart.
type Bar struct {
	Name                           string
	SourceRooms, TargetRooms       int64
	SourceMessages, TargetMessages int64
}

// Section is one part of the detail: a table, a list or both.
type Section struct {
	Title   string
	Note    string
	Level   string // "" or a status level, for the heading's mark
	Items   []string
	Columns []string
	Rows    [][]string
	Empty   string // shown when there are neither items nor rows
}

// Write writes a report: JSON of data when path ends in .json, otherwise
// the page as HTML. The file is replaced atomically. record, when not
// nil, is told of the temporary file before it is made
// (atomicfile.WriteWith): a ledger records it, so that a process killed
// at any moment before the rename has it removed later
// (atomicfile.Ledger).
// Options (atomicfile.Scrub) apply to the file's bytes.
func Write(path string, p Page, data any, record func(tmp string) error, opts ...atomicfile.Option) error {
	var buf bytes.Buffer
	var err error
	if strings.EqualFold(filepath.Ext(path), ".json") {
		err = WriteJSON(&buf, data)
	} else {
		err = WriteHTML(&buf, p)
	}
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return atomicfile.WriteWith(path, buf.Bytes(), record, opts...)
}

// WriteJSON writes v as indented JSON without HTML escaping.
func WriteJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err := w.Write(escapeJSONControls(b.Bytes()))
	return err
}

// escapeJSONControls writes the characters encoding/json leaves raw that
// a terminal acts on or that reorder or hide text (DEL, the C1 controls
// U+0080 to U+009F, of which U+009B is CSI, and the bidirectional
// formatting characters) as \u escapes of the same characters: a report
// shown with cat or less cannot act on the operator's terminal, and the
// JSON means what it meant. Outside its strings JSON is ASCII, so every
// such character is inside a string.
func escapeJSONControls(b []byte) []byte {
	if !bytes.ContainsFunc(b, jsonEscaped) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if jsonEscaped(r) && n > 0 && r != utf8.RuneError {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

func jsonEscaped(r rune) bool {
	return r == 0x7f || r >= 0x80 && r <= 0x9f || textwidth.Bidi(r)
}

// Num writes n with thousands separators: 1,204.
func Num[T ~int | ~int64](n T) string { return numtext.Thousands(n) }

// NumOf writes a count as Num does with its noun, singular for one:
// "1 message", "1,204 messages".
func NumOf[T ~int | ~int64](n T, one, many string) string {
	return Num(n) + " " + numtext.Noun(n, one, many)
}

// Duration writes a duration for people: 1.2s, 3m4s.
func Duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// Time writes a time for people, in UTC.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
