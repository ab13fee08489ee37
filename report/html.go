package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/pcmig/pcmig/textwidth"
	"github.com/rivo/uniseg"
)

// WriteHTML writes the page as one self-contained HTML document: inline
// style and SVG, no scripts, no external resources; every value escaped.
func WriteHTML(w io.Writer, p Page) error {
	if p.SourceLabel == "" {
		p.SourceLabel = "Source"
	}
	if p.TargetLabel == "" {
		p.TargetLabel = "Target"
	}
	v := view{Page: p, Generated: Time(p.Generated)}
	v.Chart = layoutChart(p.Chart)
	for _, t := range p.Totals {
		v.Cards = append(v.Cards, card{Total: t, Source: Num(t.Source), Target: Num(t.Target), Same: !t.HasTarget || t.Source == t.Target})
	}
	var b strings.Builder
	if err := pageTemplate.Execute(&b, v); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	_, err := io.WriteString(w, showBidi(b.String()))
	return err
}

// showBidi replaces the characters that change the display order of the
// text around them (embeddings, overrides, isolates, marks) with visible
// codes such as [U+202E]. A name holding one would otherwise turn the rest
// of its line around in a browser: a difference could read as another.
// The control characters other than tab, line feed and carriage return
// (C0, DEL and C1: a terminal escape, a hyperlink's OSC 8) are shown the
// same way: a browser draws them as nothing, so "Eng\x1b]8;;..." would
// read as another name, and the file shown in a terminal would act on
// them. The page's own text has none, so every one comes from a value;
// emoji sequences (zero-width joiners) and right-to-left scripts are kept.
func showBidi(s string) string {
	if !strings.ContainsFunc(s, shownAsCode) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if shownAsCode(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shownAsCode reports whether the page shows r as [U+XXXX].
func shownAsCode(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	}
	return textwidth.ZeroWidth(r) || textwidth.Bidi(r)
}

type view struct {
	Page
	Generated string
	Cards     []card
	Chart     *chart
}

type card struct {
	Total
	Source, Target string
	Same           bool
}

// chart is the laid-out SVG: two panels (messages, rooms), one row per
// category with a source and a target bar each.
type chart struct {
	Width, Height int
	Rows          []chartRow
	Panels        [2]panel
	Single        bool // only one side (an export)
}

type panel struct {
	X     int
	Title string
}

type chartRow struct {
	Y, TextY, LabelX   int
	Label, Full        string
	Msg, Room          [2]barGeom
	MsgText, RoomsText [2]string
	Differ             bool
}

type barGeom struct{ X, W, Y int }

const (
	chartLabelW = 138
	chartPanelW = 196
	chartRowH   = 30
	chartTop    = 44
)

func layoutChart(bars []Bar) *chart {
	if len(bars) == 0 {
		return nil
	}
	single := true
	var maxMsg, maxRoom int64 = 1, 1
	for _, b := range bars {
		maxMsg = max(maxMsg, b.SourceMessages, b.TargetMessages)
		maxRoom = max(maxRoom, b.SourceRooms, b.TargetRooms)
		if b.TargetMessages != 0 || b.TargetRooms != 0 {
			single = false
		}
	}
	c := &chart{Width: chartLabelW + 2*chartPanelW + 8, Height: chartTop + len(bars)*chartRowH + 8, Single: single,
		Panels: [2]panel{{X: chartLabelW, Title: "Messages"}, {X: chartLabelW + chartPanelW + 10, Title: "Rooms"}}}
	barMax := chartPanelW - 52
	scale := func(v, m int64) int {
		if v <= 0 {
			return 0
		}
		return max(1, int(int64(barMax)*v/m))
	}
	for i, b := range bars {
		y := chartTop + i*chartRowH
		label := cutLabel(b.Name, 18)
		row := chartRow{Y: y, TextY: y + 17, LabelX: chartLabelW - 8, Label: label, Full: b.Name,
			Differ: b.SourceMessages != b.TargetMessages || b.SourceRooms != b.TargetRooms}
		for side, vals := range [2][2]int64{{b.SourceMessages, b.SourceRooms}, {b.TargetMessages, b.TargetRooms}} {
			by := y + 4 + side*11
			if single {
				by = y + 7
			}
			row.Msg[side] = barGeom{X: c.Panels[0].X, W: scale(vals[0], maxMsg), Y: by}
			row.Room[side] = barGeom{X: c.Panels[1].X, W: scale(vals[1], maxRoom), Y: by}
			row.MsgText[side], row.RoomsText[side] = Num(vals[0]), Num(vals[1])
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"add": func(a, b int) int { return a + b },
}).Parse(pageHTML))

// cutLabel shortens a label longer than n characters to n-1 and an
// ellipsis, counting characters as people see them (grapheme clusters),
// so that no emoji sequence, flag or accented letter is cut in two.
func cutLabel(s string, n int) string {
	if uniseg.GraphemeClusterCount(s) <= n {
		return s
	}
	g := uniseg.NewGraphemes(s)
	var b strings.Builder
	for i := 0; i < n-1 && g.Next(); i++ {
		b.WriteString(g.Str())
	}
	return b.String() + "…"
}
