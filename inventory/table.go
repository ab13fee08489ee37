package inventory

import (
	"io"
	"strings"
	"unicode"

	"github.com/pcmig/pcmig/textwidth"
)

// table lays out columns by their display width, so that names in CJK
// script or with emoji (two columns wide on a terminal) stay aligned, which
// text/tabwriter, counting runes, does not do.
type table struct {
	header []string
	right  []bool // right-aligned columns (numbers)
	rows   [][]string
}

func newTable(header ...string) *table {
	t := &table{right: make([]bool, len(header))}
	for i, h := range header {
		// A leading '>' marks a right-aligned column.
		if rest, ok := strings.CutPrefix(h, ">"); ok {
			h, t.right[i] = rest, true
		}
		t.header = append(t.header, h)
	}
	return t
}

func (t *table) add(cells ...string) {
	for i, c := range cells {
		cells[i] = clean(c)
	}
	t.rows = append(t.rows, cells)
}

// write writes the table with each line indented, two spaces between
// columns and no trailing blanks.
func (t *table) write(w io.Writer, indent string) error {
	widths := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range append([][]string{t.header}, t.rows...) {
		var line strings.Builder
		line.WriteString(indent)
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if t.right[i] {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// clean replaces control characters, which a name read from a database
// may hold, so that a cell stays on its line.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func displayWidth(s string) int { return textwidth.Width(s) }
