package main

import (
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// An archive of a level below Content imports what its level covers, and
// the import's summary says the level and what it holds: a User archive
// gives principals only (0 categories, 0 rooms read as a failure without
// it), a Category archive principals and categories, a RoomDirectory one
// rooms and no messages.
func TestImportOfEachLevelSaysWhatItHolds(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src := filepath.Join(dir, "source-2015.db")
	for _, c := range []struct {
		level, says             string
		categories, rooms, msgs string
	}{
		{"User", "The archive's level is User: it holds principals only (no categories, rooms or messages).", "0", "0", "0"},
		{"Category", "The archive's level is Category: it holds principals and categories only (no rooms or messages).", "2", "0", "0"},
		{"RoomDirectory", "The archive's level is RoomDirectory: it holds principals, categories, add-ins and rooms (no messages).", "2", "3", "0"},
	} {
		t.Run(c.level, func(t *testing.T) {
			t.Parallel()
			tgt := filepath.Join(t.TempDir(), "target.db")
			labtest.CopyFile(t, filepath.Join(dir, "target-2019.db"), tgt)
			zip := filepath.Join(t.TempDir(), c.level+".zip")
			mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip, "--level", c.level)
			stdout, _ := mustRun(t, 2, "import", "--dry-run", "--db", "sqlite:"+tgt, "--file", zip)
			mustContain(t, "import --dry-run", stdout, c.says)
			stdout, _ = mustRun(t, 0, "import", "--db", "sqlite:"+tgt, "--file", zip)
			mustContain(t, "import", stdout, "Imported into", c.says)
			for _, q := range []struct{ sql, want string }{
				{`SELECT COUNT(*) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID`, c.categories},
				{`SELECT COUNT(*) FROM tblNode WHERE nodeType = 0`, c.rooms},
				{`SELECT COUNT(*) FROM tblChat`, c.msgs},
			} {
				if got := sqlRows(t, tgt, q.sql); len(got) != 1 || got[0] != q.want {
					t.Errorf("%s: %v, want %s", q.sql, got, q.want)
				}
			}
		})
	}
}
