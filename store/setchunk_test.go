package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// Set-based writes larger than one chunk (5,000 rows) are written in
// several: every node gets its own ID and its roles, every grant is
// written once, and grants repeated across chunks or already held are
// neither written again nor counted.
func TestSetWritesAcrossChunks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	newPool(t, path)
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u1, u2, u3 := storetest.AddUser(t, s, 1), storetest.AddUser(t, s, 2), storetest.AddUser(t, s, 3)
	const rooms = 6001
	var c store.Changes
	cat := c.Category(pchat.Category{Name: "many"})
	refs := make([]int32, rooms)
	for i := range refs {
		refs[i] = c.Room(pchat.Room{Name: fmt.Sprintf("room %d", i), CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal,
			Members: []int32{u1, u2}, Managers: []int32{u3}})
	}
	a, err := s.Apply(ctx, &c)
	if err != nil {
		t.Fatal(err)
	}
	if a.Rooms != rooms || a.Categories != 1 || a.Grants != 3*rooms {
		t.Fatalf("applied %d rooms, %d categories, %d grants; want %d, 1, %d", a.Rooms, a.Categories, a.Grants, rooms, 3*rooms)
	}
	ids := map[int32]bool{}
	for _, ref := range refs {
		ids[a.ID(ref)] = true
	}
	if len(ids) != rooms {
		t.Fatalf("%d distinct room IDs, want %d", len(ids), rooms)
	}
	got, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != rooms {
		t.Fatalf("%d rooms read back, want %d", len(got), rooms)
	}
	for _, r := range got {
		if !ids[r.ID] || r.CategoryID != a.ID(cat) || len(r.Members) != 2 || len(r.Managers) != 1 {
			t.Fatalf("room %q read back as ID %d in category %d with members %v, managers %v", r.Name, r.ID, r.CategoryID, r.Members, r.Managers)
		}
	}
	// u3 made a member of every room, each grant listed twice, chunks
	// apart, after grants the rooms already hold.
	r := s.Roles()
	var grants []store.RoleGrant
	for id := range ids {
		grants = append(grants, store.RoleGrant{Node: id, Prin: u1, Role: r.Member})
	}
	for range 2 {
		for id := range ids {
			grants = append(grants, store.RoleGrant{Node: id, Prin: u3, Role: r.Member})
		}
	}
	added, err := s.AddRoleGrants(ctx, grants)
	if err != nil || added != rooms {
		t.Fatalf("AddRoleGrants of %d grants = %d, %v; want %d added", len(grants), added, err, rooms)
	}
	if got, err = s.Rooms(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		if len(r.Members) != 3 {
			t.Fatalf("room %q has members %v, want three", r.Name, r.Members)
		}
	}
}
