package importer_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// Two databases can have one pool ID: a restored copy of the target (a
// rehearsal) and the target itself. An import of one archive into the
// copy, after an import into the original, must not take the original's
// starting points for its rooms: messages the copy's users posted since
// the restore are not the archive's, and none of the archive's may be
// skipped for them. Each keeps its own journal now; a journal an earlier
// pcmig kept under the name both shared (by the archive and the pool ID)
// is read, and not trusted for the copy.
func TestImportJournalOfAnotherDatabaseWithThePoolIDNotTrusted(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "own journals", true: "one shared journal of an earlier pcmig"}[legacy], func(t *testing.T) {
			testJournalOfAnotherDatabase(t, legacy)
		})
	}
}

func testJournalOfAnotherDatabase(t *testing.T, legacy bool) {
	e := newEstate(t)
	e.exportAt(t, 0)
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatalf("first import: %v", err)
	}
	name, node, n := emptyBusiestRoom(t, e)
	// A new export (its journal is new), and a copy of the target as it
	// is now: the rehearsal database, with the target's pool ID.
	e.exportAt(t, 1)
	copyPath := e.dir + "/rehearsal-2019.db"
	labtest.CopyFile(t, e.target, copyPath)

	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatalf("import into the target: %v", err)
	}
	if got := len(roomMessages(t, e.target, name)); got != n {
		t.Fatalf("target room %q: %d messages, want the archive's %d", name, got, n)
	}

	postThree(t, copyPath, node)
	if legacy {
		importer.AsLegacyJournal(t, e.archive, e.target)
	}

	res, err := importInto(t, copyPath, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("import into the copy: %v", err)
	}
	warned := false
	for _, p := range res.Problems {
		warned = warned || strings.Contains(p.Message, "another database with this pool ID")
	}
	if warned != legacy {
		t.Errorf("warned that the journal is another database's: %v, want %v: %+v", warned, legacy, res.Problems)
	}
	if got := len(roomMessages(t, copyPath, name)); got != n+3 {
		t.Errorf("copy's room %q: %d messages, want its users' 3 and the archive's %d", name, got, n)
	}
}

// emptyBusiestRoom empties the target's copy of the source's busiest room:
// a room the target has, by the archive room's GUID, with no message yet.
// It returns the room's name, its node ID and the source's messages in it.
func emptyBusiestRoom(t *testing.T, e estate) (name string, node int32, n int) {
	t.Helper()
	for room, msgs := range snapshot(t, e.source).Messages {
		if len(msgs) > n || (len(msgs) == n && room < name) {
			name, n = room, len(msgs)
		}
	}
	db := e.db(t)
	if err := db.QueryRow(`SELECT nodeID FROM tblNode WHERE nodeName = ?`, name).Scan(&node); err != nil {
		t.Fatal(err)
	}
	db.Close()
	e.exec(t, `DELETE FROM tblChat WHERE channelId = ?`, node)
	e.exec(t, `UPDATE tblLastChatId SET lastChatID = 0 WHERE nodeID = ?`, node)
	return name, node, n
}

// postThree posts three messages in an empty room of the database at path,
// as its users would (chat IDs 1 to 3).
func postThree(t *testing.T, path string, node int32) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var user int32
	var date int64
	if err := db.QueryRow(`SELECT userId, chatDate FROM tblChat ORDER BY chatId LIMIT 1`).Scan(&user, &date); err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= 3; i++ {
		if _, err := db.Exec(`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (?, ?, ?, ?, 0, ?, NULL)`,
			node, i, date+i, user, "posted in the rehearsal"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE tblLastChatId SET lastChatID = 3 WHERE nodeID = ?`, node); err != nil {
		t.Fatal(err)
	}
}

// A journal an earlier pcmig wrote (one per archive and pool ID, under
// the name every database with the pool ID shared) is still this
// target's: FindRecord reads it, an import resumes from it and then keeps
// it under the target's own name, removing the old one.
func TestImportJournalOfAnEarlierPcmigIsRead(t *testing.T) {
	e := newEstate(t)
	e.exportAt(t, 0)
	if _, err := importInto(t, e.target, e.archive, importer.Options{}); err != nil {
		t.Fatalf("first import: %v", err)
	}
	own, _ := filepath.Glob(e.archive + ".import-*.json")
	if len(own) != 1 {
		t.Fatalf("journals %v, want one", own)
	}
	legacy := importer.AsLegacyJournal(t, e.archive, e.target)
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + e.target, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	pool, err := s.PoolID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := archive.Open(e.archive)
	if err != nil {
		t.Fatal(err)
	}
	rec, look, err := importer.FindRecord(e.archive, r.Manifest(), pool, s)
	r.Close()
	s.Close()
	if err != nil || rec == nil || look.Journal != legacy || look.Why != "" {
		t.Fatalf("FindRecord with the journal of an earlier pcmig: record %v, %+v, %v; want the record of %s", rec != nil, look, err, legacy)
	}
	res, err := importInto(t, e.target, e.archive, importer.Options{})
	if err != nil {
		t.Fatalf("import again: %v", err)
	}
	if !res.Resumed || otherDatabaseWarned(res) {
		t.Errorf("import again: resumed %v, warned of another database %v; want it to resume from its journal", res.Resumed, otherDatabaseWarned(res))
	}
	if now, _ := filepath.Glob(e.archive + ".import-*.json"); len(now) != 1 || now[0] != own[0] {
		t.Errorf("journals after the import %v, want only the target's own %s", now, own[0])
	}
}
