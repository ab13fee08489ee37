package exporter_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

var ctx = context.Background()

// template holds the lab estate built once for the package; each test
// copies its source database.
var template string

func TestMain(m *testing.M) { labtest.Main(m, lab.Options{Messages: 3000, Seed: 7}, &template) }

// newSource copies the lab's 2015 database into the test's folder.
func newSource(t *testing.T) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "source-2015.db")
	labtest.CopyFile(t, filepath.Join(template, "source-2015.db"), path)
	return dir, path
}

func open(t *testing.T, path string, readOnly bool) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// keys are the records of a pool or an archive, by their portable keys:
// GUIDs, and messages as "room GUID/chat ID".
type keys struct {
	Principals, Categories, Addins, Rooms, Messages []string
}

// readSource reads the keys of what a source holds: principals and
// add-ins; the categories keepCat admits, their rooms, and those rooms'
// messages dated since (ticks) or later.
func readSource(t *testing.T, s *store.Store, keepCat func(string) bool, since int64) keys {
	t.Helper()
	var k keys
	prins, err := s.Principals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prins {
		k.Principals = append(k.Principals, p.GUID)
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[int32]bool{}
	for _, c := range cats {
		if keepCat(c.Name) {
			kept[c.ID] = true
			k.Categories = append(k.Categories, c.GUID)
		}
	}
	addins, err := s.Addins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addins {
		k.Addins = append(k.Addins, a.ID)
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	guid := map[int32]string{}
	for _, r := range rooms {
		if kept[r.CategoryID] {
			guid[r.ID] = r.GUID
			k.Rooms = append(k.Rooms, r.GUID)
		}
	}
	err = s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		if g, ok := guid[m.RoomID]; ok && m.Date >= since {
			k.Messages = append(k.Messages, fmt.Sprintf("%s/%d", g, m.ChatID))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return k.sorted()
}

func (k keys) sorted() keys {
	for _, l := range []*[]string{&k.Principals, &k.Categories, &k.Addins, &k.Rooms, &k.Messages} {
		if *l == nil {
			*l = []string{}
		}
		sort.Strings(*l)
	}
	return k
}

// readArchive reads an archive's keys and manifest.
func readArchive(t *testing.T, path string) (keys, archive.Manifest) {
	t.Helper()
	r, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var k keys
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(r.Principals(func(p archive.Principal) error { k.Principals = append(k.Principals, p.GUID); return nil }))
	check(r.Categories(func(c archive.Category) error { k.Categories = append(k.Categories, c.GUID); return nil }))
	check(r.Addins(func(a archive.Addin) error { k.Addins = append(k.Addins, a.GUID); return nil }))
	check(r.Rooms(func(x archive.Room) error { k.Rooms = append(k.Rooms, x.GUID); return nil }))
	check(r.Messages(func(m archive.Message) error {
		k.Messages = append(k.Messages, fmt.Sprintf("%s/%d", m.Room, m.ChatID))
		return nil
	}))
	return k.sorted(), r.Manifest()
}
