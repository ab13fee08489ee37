package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a bar on a terminal and prints plain lines otherwise (logs,
// CI, redirected output): one every tenth of the work or every 10 seconds.
type progress struct {
	w        io.Writer
	tty      bool
	label    string
	lastLine time.Time
	lastTen  int64
	phase    string // of the last line
	drawn    bool
	now      func() time.Time
}

func newProgress(w io.Writer, tty bool, label string) *progress {
	return &progress{w: w, tty: tty, label: label, now: time.Now}
}

func (p *progress) update(phase string, done, total int64) {
	if total <= 0 {
		return
	}
	pct := done * 100 / total
	if phase != p.phase {
		// A phase's lines count its tenths from its start: an import's
		// messages written under its hold, then committed
		// (importer.PendingPhase), are two.
		// On a terminal the last bar of a phase stays on its own line.
		p.phase, p.lastTen = phase, 0
		p.done()
	}
	if p.tty {
		const width = 30
		fill := int(pct * width / 100)
		fmt.Fprintf(p.w, "\r%s %-9s [%s%s] %3d%% %d/%d", p.label, phase, strings.Repeat("#", fill), strings.Repeat(".", width-fill), pct, done, total)
		p.drawn = true
		return
	}
	if ten := pct / 10; ten > p.lastTen || p.now().Sub(p.lastLine) > 10*time.Second {
		p.lastTen, p.lastLine = ten, p.now()
		fmt.Fprintf(p.w, "%s %s: %d of %d (%d%%)\n", p.label, phase, done, total, pct)
	}
}

// done ends the bar's line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
