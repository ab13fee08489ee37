package importer_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
)

// TestJournalEditedIsRefused: the import trusts its journal's starting
// points (each room's last chat ID before the import's first message): a
// journal whose numbers changed on disk or by hand while it stayed JSON (a
// room's base raised by 3) made the next import write the room's last 3
// archive messages again, doubled, and say nothing. The journal is now
// sealed, as the run journal is: one whose content does not match its
// checksum is refused before anything is written, naming the file (never
// its content), and the room keeps its messages once each.
func TestJournalEditedIsRefused(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{})
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	journals, _ := filepath.Glob(e.archive + ".import-*.json")
	if len(journals) != 1 {
		t.Fatalf("journals %v, want one", journals)
	}
	b := readFile(t, journals[0])
	var d map[string]json.RawMessage
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var rooms map[string]map[string]int64
	if err := json.Unmarshal(d["rooms"], &rooms); err != nil {
		t.Fatal(err)
	}
	var outcomes map[string]importer.Outcome
	if err := json.Unmarshal(d["outcomes"], &outcomes); err != nil {
		t.Fatal(err)
	}
	room, guid := "", ""
	for g, r := range rooms {
		if name := outcomes[g].Target; r["messages"] >= 5 && (room == "" || name < room) {
			room, guid = name, g
		}
	}
	if room == "" {
		t.Fatal("no journaled room with 5 messages")
	}
	n := len(roomMessages(t, e.target, room))
	// The room's base, 3 more: still JSON, the same length or one longer.
	old := `"base_last_chat_id":` + jsonInt(rooms[guid]["base_last_chat_id"])
	i := strings.Index(string(b), `"`+guid+`":{`)
	j := strings.Index(string(b[i:]), old)
	if i < 0 || j < 0 {
		t.Fatalf("the journal does not hold room %s as this test reads it", guid)
	}
	b = []byte(string(b[:i+j]) + `"base_last_chat_id":` + jsonInt(rooms[guid]["base_last_chat_id"]+3) + string(b[i+j+len(old):]))
	if err := os.WriteFile(journals[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := importInto(t, e.target, e.archive, importer.Options{})
	if got := len(roomMessages(t, e.target, room)); got != n {
		t.Errorf("room %q: %d messages after an import with an edited journal, want its %d once each", room, got, n)
	}
	if err == nil || !strings.Contains(err.Error(), journals[0]) || !strings.Contains(err.Error(), "damaged or was edited") {
		t.Errorf("import with an edited journal: error %v, want one naming %s as damaged or edited", err, journals[0])
	}
}

func jsonInt(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
