package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/store"
)

// TestDamagedJournalQuotesNothing: an import journal that is not the JSON
// pcmig writes is reported as damaged with where (line and column) and
// what was expected there, never with bytes or values of the file.
func TestDamagedJournalQuotesNothing(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string
		secret        string // text of the file that must not appear
	}{
		{"a NUL byte", "{\n  \"rooms\": {}\x00\n}\n", []string{"line 2, column 14", "expected ',' or '}'"}, `\x00`},
		{"not JSON", "{\n  \"archive\": hunter2\n}\n", []string{"line 2, column 14", "expected a value"}, "hunter2"},
		{"a number out of range", "{\"rooms\": {\n  \"r1\": {\"target_id\": 99999999999}\n}}\n",
			[]string{"line 2", "rooms.target_id", "a whole number from -2147483648 to 2147483647"}, "99999999999"},
		{"a string for a number", "{\"rooms\": {\"r1\": {\"messages\": \"hunter2\"}}}",
			[]string{"line 1", "rooms.messages", "expected a whole number", "found a string"}, "hunter2"},
		{"a bad time", "{\"updated\": \"hunter2\"}", []string{"updated", "RFC 3339"}, "hunter2"},
		{"truncated", "{\"rooms\": {\"r1\": {\"target_id\": 12", []string{"ends before its JSON does"}, ""},
		// Sealed (SealJournal): line 1 has the checksum member in front, 85 columns.
		{"a key holding a secret", "{\"hunter2\" 1}", []string{"line 1, column 97", "expected ':'"}, "hunter2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arc := filepath.Join(t.TempDir(), "a.zip")
			target := store.Config{DSN: "sqlite:target.db"}
			if err := os.WriteFile(importer.JournalPath(arc, "pool", target), importer.SealJournal([]byte(tt.content)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := importer.FindRecord(arc, archive.Manifest{}, "pool", target)
			if err == nil {
				t.Fatal("FindRecord of a damaged journal: no error")
			}
			msg := err.Error()
			for _, w := range append(tt.want, "is damaged") {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if tt.secret != "" && strings.Contains(msg, tt.secret) || strings.Contains(msg, "invalid character") || strings.Contains(msg, "\x00") {
				t.Errorf("error quotes the file: %q", msg)
			}
		})
	}
}
