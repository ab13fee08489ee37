package importer_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/pchat"
)

// addEdgeMessages appends messages the lab does not write to the first
// room of the source: RTF empty next to RTF NULL, alerts, and content that
// JSON and SQL must carry exactly.
func addEdgeMessages(t *testing.T, path string) {
	t.Helper()
	s := open(t, path, false)
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	empty, rtf := "", `{\rtf1\ansi \u-10179?\u-8704? x}`
	msgs := []pchat.Message{
		{Date: 638_512_345_678_901_237, UserID: pchat.SystemUserID, Content: "rtf empty", RTF: &empty},
		{Date: 638_512_345_678_901_238, UserID: pchat.SystemUserID, Content: "rtf null", RTF: nil},
		{Date: 638_512_345_678_901_238, UserID: pchat.SystemUserID, Alert: true, Content: "", RTF: &rtf},
		{Date: 1, UserID: pchat.SystemUserID, Content: "controls \x01\x1f\x7f \t\r\n \u2028 \"quotes\" \\ 😀 日本語"},
	}
	if _, err := s.AppendMessages(ctx, rooms[0].ID, msgs); err != nil {
		t.Fatal(err)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		chunk int // messages per archive part
		batch int // messages per import transaction
	}{
		{"defaults", 0, 0},
		{"many parts, odd batches", 500, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEstate(t)
			addEdgeMessages(t, e.source)
			exp := e.export(t, exporter.Options{ChunkMessages: tt.chunk})
			res, err := importInto(t, e.target, e.archive, importer.Options{Batch: tt.batch})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			want := snapshot(t, e.source)
			if diff := cmp.Diff(want, snapshot(t, e.target)); diff != "" {
				t.Errorf("target content mismatch (-want +got):\n%s", diff)
			}
			wantCounts := importer.MessageCounts{InArchive: exp.Counts.Messages, ToImport: exp.Counts.Messages, Imported: exp.Counts.Messages}
			if diff := cmp.Diff(wantCounts, res.Messages); diff != "" {
				t.Errorf("Result.Messages mismatch (-want +got):\n%s", diff)
			}
			// Chat IDs are renumbered from the target's counter: 1 to n in
			// an empty pool.
			for id, c := range checkChatIDs(t, e.target) {
				if c.MaxChatID != c.Messages {
					t.Errorf("room %d: %d messages, highest chatId %d: want 1 to %d", id, c.Messages, c.MaxChatID, c.Messages)
				}
			}
		})
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts importer.Options
	}{
		{"journal", importer.Options{}},
		// Without the journal the second run finds the rooms by GUID and
		// counts their messages.
		{"no journal", importer.Options{NoJournal: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEstate(t)
			e.export(t, exporter.Options{})
			first, err := importInto(t, e.target, e.archive, tt.opts)
			if err != nil {
				t.Fatalf("first Import: %v", err)
			}
			if !first.Changes() {
				t.Errorf("first Import: Changes() = false, want true")
			}
			once, onceBytes := snapshot(t, e.target), readFile(t, e.target)
			second, err := importInto(t, e.target, e.archive, tt.opts)
			if err != nil {
				t.Fatalf("second Import: %v", err)
			}
			if second.Changes() {
				t.Errorf("second Import: Changes() = true, want false; result %+v", second)
			}
			want := importer.MessageCounts{InArchive: first.Messages.InArchive, AlreadyThere: first.Messages.InArchive}
			if diff := cmp.Diff(want, second.Messages); diff != "" {
				t.Errorf("second Import: Result.Messages mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(once, snapshot(t, e.target)); diff != "" {
				t.Errorf("target content after the second import mismatch (-want +got):\n%s", diff)
			}
			if !bytes.Equal(onceBytes, readFile(t, e.target)) {
				t.Errorf("the second import changed the target database file")
			}
		})
	}
}
