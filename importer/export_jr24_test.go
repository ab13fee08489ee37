package importer

import (
	"context"
	"os"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// AsLegacyJournal moves the import journal of the archive into the SQLite
// database at target to the name every database with its pool ID shared
// before pcmig kept one journal per database (legacyJournalPath), as an
// earlier pcmig left it; it returns that name.
func AsLegacyJournal(t *testing.T, archivePath, target string) string {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + target, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := s.PoolID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	legacy := legacyJournalPath(archivePath, pool, s)
	if err := os.Rename(JournalPath(archivePath, pool, s), legacy); err != nil {
		t.Fatal(err)
	}
	return legacy
}

// SealJournal gives a journal body (a JSON object without its checksum
// member) the checksum pcmig puts in front of it, as a test that edits a
// journal must to reach what it checks behind the seal.
func SealJournal(body []byte) []byte { return sealJournal(body) }
