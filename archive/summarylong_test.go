package archive

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteSummaryTextShortensOverlongNames: pcmig inspect shows a name of
// more than 300 characters as its first 100 and its length; a hand-made
// archive's room of a megabyte's name was a megabyte's line.
func TestWriteSummaryTextShortensOverlongNames(t *testing.T) {
	s := Summary{Manifest: testManifest(), Rooms: []RoomSummary{
		{GUID: guid(300), Name: strings.Repeat("r", 1<<20), Category: strings.Repeat("é", 400), Messages: 1},
	}}
	s.ToolVersion = strings.Repeat("v", 5000)
	var buf bytes.Buffer
	if err := WriteSummaryText(&buf, s); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if len(out) > 2000 {
		t.Errorf("summary of %d bytes", len(out))
	}
	for _, want := range []string{strings.Repeat("r", 100) + "… (1,048,576 characters)", strings.Repeat("é", 100) + "… (400 characters)",
		"… (5,000 characters)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %.40q", want)
		}
	}
}
