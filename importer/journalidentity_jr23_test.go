package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/store"
)

// TestJournalSQLServerTargetByIdentity: an import journal records its SQL
// Server target by the database's identity (host, instance, port,
// database), not by its description, which holds the login and the DSN's
// options and was compared whole: the same database given once as
// --db-instance with a SQL login and once as a sqlserver:// DSN with
// another login and encrypt=strict was taken for another database (an
// import resumed that way read every room's history; verify and
// import.record would not use the record). Another database on the same
// server, or the default instance, is still another. A journal written
// before identities (it recorded the description) is still this target's
// for the same description.
func TestJournalSQLServerTargetByIdentity(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "a.zip")
	m := archive.Manifest{Created: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), SourcePool: "pchat15.contoso.com"}
	now := time.Date(2026, 11, 30, 13, 0, 0, 0, time.UTC)
	byInstance := store.Config{Instance: `SQL19.contoso.com\RTC`, User: "pcmig", Password: "hunter2"}
	byDSN := store.Config{DSN: "sqlserver://CONTOSO%5Cmigrator:hunter3@sql19.contoso.com./rtc?encrypt=strict&Database=mgc"}
	others := []store.Config{
		{Instance: `sql19.contoso.com\rtc`, Database: "mgc_rehearsal"},
		{Instance: "sql19.contoso.com"},
		{DSN: "sqlserver://sql20.contoso.com/rtc"},
	}
	// Written where pcmig kept the one journal every database with the
	// pool ID shared (legacyJournalPath), each database's import reads it.
	path := legacyJournalPath(arc, "pool-1", byInstance)
	j, err := openJournal(path, "", m, byInstance)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.recordRooms(map[string]journalEntry{"room-1": {TargetID: 5, Base: 10, Total: 3}}, now); err != nil {
		t.Fatal(err)
	}
	if err := j.recordOutcomes(map[string]Outcome{"room-1": {Kind: "room", Name: "r", Action: ActCreate, Target: "r", TargetID: 5}}, now); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "hunter") || strings.Contains(string(b), "pcmig") {
		t.Errorf("the journal records the login or the password: %s", b)
	}

	same := func(what string, c store.Config, want bool) {
		t.Helper()
		j, err := openJournal(JournalPath(arc, "pool-1", c), path, m, c)
		if err != nil {
			t.Fatal(err)
		}
		_, ok := j.entry("room-1")
		if ok != want || (j.other == "") != want {
			t.Errorf("%s (%s): import takes the journal's starting points %v (other %q), want %v", what, c.Describe(), ok, j.other, want)
		}
		rec, look, err := FindRecord(arc, m, "pool-1", c)
		if err != nil {
			t.Fatal(err)
		}
		if (rec != nil) != want || (look.Why == OtherTarget) == want {
			t.Errorf("%s (%s): FindRecord gave a record %v (%q), want %v", what, c.Describe(), rec != nil, look.Why, want)
		}
	}
	same("the database the import named", byInstance, true)
	same("the same database as a DSN, another login and options", byDSN, true)
	for _, c := range others {
		same("another database", c, false)
	}

	// A journal written before identities recorded the description.
	var d journalData
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	d.Target = byInstance.Describe()
	if b, err = json.Marshal(d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, sealJournal(b), 0o644); err != nil {
		t.Fatal(err)
	}
	same("an older journal, the database as the import named it", byInstance, true)
	for _, c := range others {
		same("an older journal, another database", c, false)
	}
}
