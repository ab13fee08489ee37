package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/verify"
)

// bidiControls are the characters that change the display order of the
// text around them: embeddings, overrides, isolates and marks.
const bidiControls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C"

// A name with a right-to-left override would turn the rest of every line it
// is in around ("category ‮evil: named ..." shows the sentence backwards):
// the report shows such characters as visible codes, and keeps emoji
// sequences (zero-width joiners, flags) and right-to-left scripts as they
// are.
func TestBidiControlsShownNotApplied(t *testing.T) {
	evil := "\u202Eevil RTL override"
	r := verifyResult(0)
	r.Verdict, r.Equal = verify.Different, false
	r.Categories[0].Name = evil
	r.Differences = []verify.Difference{{Source: "pchat15", Category: evil, Object: "category " + evil,
		Text: "category " + evil + `: description "a" in the source, "b" in the target`}}
	r.Rooms[0].Name = "👨\u200d👩\u200d👧 🇺🇸 غرفة \u2067isolated\u2069 \u200fmark"
	var b strings.Builder
	if err := WriteHTML(&b, VerifyPage(r, now)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if i := strings.IndexAny(out, bidiControls); i >= 0 {
		t.Errorf("the page holds the bidi control U+%04X: %q", []rune(out[i:])[0], out[max(0, i-40):min(len(out), i+40)])
	}
	for _, want := range []string{"[U+202E]evil RTL override", "👨\u200d👩\u200d👧 🇺🇸 غرفة [U+2067]isolated[U+2069] [U+200F]mark"} {
		if !strings.Contains(out, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	pg := render(t, VerifyPage(r, now))
	_ = pg
}

// Ten thousand categories: the chart shows the busiest few, the page
// lists every one, and it stays one self-contained file of reasonable
// size, rendered quickly.
func TestTenThousandCategories(t *testing.T) {
	r := verifyResult(0)
	r.Categories = nil
	for i := range 10_000 {
		r.Categories = append(r.Categories, verify.CategoryFigure{Source: "pchat15", Name: fmt.Sprintf("<cat %05d>", i), TargetName: fmt.Sprintf("<cat %05d>", i),
			SourceRooms: 1, TargetRooms: 1, SourceMessages: int64(i), TargetMessages: int64(i)})
	}
	start := time.Now()
	var b strings.Builder
	if err := WriteHTML(&b, VerifyPage(r, now)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("rendering took %s", d)
	}
	out := b.String()
	if n := strings.Count(out, "&lt;cat "); n < 10_000 {
		t.Errorf("the page names %d categories, want every one of 10,000", n)
	}
	if len(out) > 8<<20 {
		t.Errorf("the page is %d bytes", len(out))
	}
	if strings.Count(out, "<svg") != 1 || !strings.Contains(out, "busiest") {
		t.Error("the chart is not the busiest few with a note")
	}
	render(t, VerifyPage(r, now))
}

// Chart labels are cut between characters as people see them (grapheme
// clusters), never inside an emoji sequence or a flag.
func TestChartLabelCutsWholeCharacters(t *testing.T) {
	for _, unit := range []string{"👨\u200d👩\u200d👧", "🇺🇸", "é", "e\u0301", "日"} {
		c := layoutChart([]Bar{{Name: strings.Repeat(unit, 30), SourceMessages: 1}})
		label := c.Rows[0].Label
		cut, ok := strings.CutSuffix(label, "…")
		if !ok || cut == "" || strings.ReplaceAll(cut, unit, "") != "" {
			t.Errorf("label of %q×30 = %q: want whole %q and an ellipsis", unit, label, unit)
		}
	}
}
