package archive

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/textwidth"
)

// TestWriteSummaryTextAlignsWideNames: pcmig inspect's room table lines up
// in a terminal when names are in a script whose characters take two
// columns (the lab's category 東京オフィス, room 品質保証チーム), as
// inventory's tables do. It padded by characters (text/tabwriter), so
// the STATE column of such a row was six or seven columns to the right of
// the others'.
func TestWriteSummaryTextAlignsWideNames(t *testing.T) {
	s := Summary{
		Manifest: Manifest{Format: 1, Tool: "pcmig", ToolVersion: "1", Level: LevelAll},
		Rooms: []RoomSummary{
			{Name: "Analytics", Category: "Sales", Messages: 12},
			{Name: "品質保証チーム", Category: "東京オフィス", Messages: 3},
			{Name: "Zürich Sales", Category: "Människor & Kultur", Disabled: true},
			{Name: "Café 😀", Category: "Support", Messages: 1234},
		},
	}
	var b bytes.Buffer
	if err := WriteSummaryText(&b, s); err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(b.String(), "\n\n")
	if !ok {
		t.Fatalf("no room table:\n%s", b.String())
	}
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("room table of %d lines, want 5:\n%s", len(lines), table)
	}
	// The column where the last field (STATE) starts, in terminal columns.
	stateCol := func(l string) int {
		i := strings.LastIndex(l, "  ")
		return textwidth.Width(l[:i+2])
	}
	want := stateCol(lines[0])
	for _, l := range lines[1:] {
		if got := stateCol(l); got != want {
			t.Errorf("STATE at column %d, want %d (the header's), in %q:\n%s", got, want, l, table)
		}
	}
}
