package report

import (
	"fmt"
	"html/template"
	"io"
	"unicode/utf8"
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
	if err := pageTemplate.Execute(w, v); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
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
		label := b.Name
		if utf8.RuneCountInString(label) > 18 {
			r := []rune(label)
			label = string(r[:17]) + "…"
		}
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
