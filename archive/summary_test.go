package archive

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSummary(t *testing.T) {
	r, err := Open(writeTest(t, WriterOptions{ChunkMessages: 4}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s, err := r.Summary()
	if err != nil {
		t.Fatal(err)
	}
	want := []RoomSummary{
		{GUID: guid(300), Name: "Room A 😀", Category: "Sales \"EMEA\"", Messages: 9},
		{GUID: guid(301), Name: "Room B", Category: "Empty", Disabled: true},
		{GUID: guid(302), Name: "Room C", Category: "Empty", Messages: 2},
	}
	if diff := cmp.Diff(want, s.Rooms); diff != "" {
		t.Errorf("Summary().Rooms mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(r.Manifest(), s.Manifest); diff != "" {
		t.Errorf("Summary().Manifest mismatch (-want +got):\n%s", diff)
	}
	// JSON carries the manifest's fields at the top level, int64 as strings.
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"format": "1", "level": `"All"`, "archive_bytes": strconv.Quote(strconv.FormatInt(s.ArchiveBytes, 10))} {
		if diff := cmp.Diff(want, string(top[key])); diff != "" {
			t.Errorf("JSON %s mismatch (-want +got):\n%s", key, diff)
		}
	}
}

func TestWriteSummaryText(t *testing.T) {
	since := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Summary{
		Manifest: Manifest{Format: 1, Tool: "pcmig", ToolVersion: "1.2.3", SourcePool: "pchat01.contoso.com",
			SourceDatabase: `sql01\pchat/mgc`, Level: LevelContent, Scope: []string{"Sales", "Bad\x1b[31m"}, Since: &since,
			Created: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			Counts:  Counts{Principals: 1234, Rooms: 2, Messages: 1234567},
			Parts:   []Part{{Bytes: 1 << 20}, {Bytes: 3 << 29}}},
		ArchiveBytes: 250 << 20,
		Rooms: []RoomSummary{
			{Name: "General", Category: "Sales", Messages: 1234560},
			{Name: "Evil\nName", Category: "Sales", Disabled: true, Messages: 7},
		},
	}
	want := `Archive:  pcmig format 1, written by pcmig 1.2.3 at 2025-01-02T03:04:05Z
Source:   pool pchat01.contoso.com, database sql01\pchat/mgc
Level:    Content (Sales, "Bad\x1b[31m"; since 2023-01-01T00:00:00Z)
Records:  1,234 principals, 0 categories, 0 add-ins, 2 rooms, 1,234,567 messages
Size:     250.0 MiB compressed, 1.5 GiB uncompressed, in 2 parts

 MESSAGES  ROOM          CATEGORY  STATE
1,234,560  General       Sales     enabled
        7  "Evil\nName"  Sales     disabled
`
	var b strings.Builder
	if err := WriteSummaryText(&b, s); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteSummaryText() mismatch (-want +got):\n%s", diff)
	}

	b.Reset()
	WriteSummaryText(&b, Summary{Manifest: Manifest{Format: 1, Tool: "pcmig", Level: LevelUser}})
	if got := b.String(); !strings.Contains(got, "all categories; all content") || !strings.HasSuffix(got, "\nNo rooms.\n") {
		t.Errorf("WriteSummaryText(empty) = %q", got)
	}
}
