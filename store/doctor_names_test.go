package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestDoctorNamesLineIsBounded: a pool where many rooms share one name (a
// script that created every room as "", or as "Room", in a database no
// server guarded) gets a names line of bounded length, as every other
// doctor line that lists objects: the first rooms of each shared name and
// how many more, not every one of them.
func TestDoctorNamesLineIsBounded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		cat, err := s.CreateCategory(ctx, pchat.Category{Name: fmt.Sprintf("Category %d", c)})
		if err != nil {
			t.Fatal(err)
		}
		for r := range 100 {
			if _, err := s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("Room %d-%d", c, r), CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	labtest.ExecSQLite(t, path, `UPDATE tblNode SET nodeName = 'Room' WHERE nodeType = 0`)
	r, err := store.Doctor(ctx, store.Config{DSN: "sqlite:" + path}, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	c := findCheck(r, store.DoctorFail, "300 rooms share 1 name")
	if c == nil {
		t.Fatalf("no FAIL names line for 300 rooms named Room:\n%s", showReport(r))
	}
	if n := strings.Count(c.Message, `"Room" (in `); n > 10 || len(c.Message) > 1000 {
		t.Errorf("the names line names %d rooms in %d bytes; want at most 10 and how many more:\n%.400s...", n, len(c.Message), c.Message)
	}
	if !strings.Contains(c.Message, "and 290 more") {
		t.Errorf("the names line does not say how many more rooms share the name:\n%.400s...", c.Message)
	}
}
