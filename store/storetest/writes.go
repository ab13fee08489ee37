package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// The set-based writes the importer and the bindings use.

func testPrincipalBatch(t *testing.T, s *store.Store) {
	existing := AddUser(t, s, 1)
	u2, u3 := user(2), user(3)
	sameURI := user(4)
	sameURI.URI = strings.ToUpper(u3.URI) // another AD object with u3's URI: its own principal
	noGUID := user(5)
	noGUID.GUID = ""
	noGUIDSameURI := user(6)
	noGUIDSameURI.GUID, noGUIDSameURI.URI = "", u2.URI // no GUID: matches u2 by URI
	batch := []pchat.Principal{user(1), u2, u3, u2, sameURI, noGUID, noGUIDSameURI}
	ids, created, err := s.EnsurePrincipals(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if created != 4 {
		t.Errorf("EnsurePrincipals created %d, want 4 (users 2, 3, 4 and 5)", created)
	}
	if ids[0] != existing || ids[1] != ids[3] || ids[1] != ids[6] || len(map[int32]bool{ids[0]: true, ids[1]: true, ids[2]: true, ids[4]: true, ids[5]: true}) != 5 {
		t.Errorf("EnsurePrincipals IDs = %v: want user 1's ID first, repeats and a GUID-less URI matched, five distinct", ids)
	}
	if noGUID.GUID != "" {
		t.Error("EnsurePrincipals changed the caller's principal")
	}
	again, created, err := s.EnsurePrincipals(ctx, batch)
	if err != nil || created != 0 {
		t.Errorf("EnsurePrincipals again: created %d, %v; want 0", created, err)
	}
	if diff := cmp.Diff(ids, again); diff != "" {
		t.Errorf("EnsurePrincipals again gave other IDs (-first +again):\n%s", diff)
	}
	group := pchat.Principal{GUID: "90000000-0000-4000-8000-000000000009", URI: "CN=Sales,OU=Groups,DC=contoso,DC=com", Type: pchat.TypeGroup}
	g := must(func() (int32, error) { id, _, err := s.EnsurePrincipal(ctx, group); return id, err }())
	affs := []store.Affiliation{{Principal: ids[1], Of: g}, {Principal: ids[2], Of: g}, {Principal: ids[1], Of: g}}
	if n := must(s.AddAffiliationsBatch(ctx, affs)); n != 2 {
		t.Errorf("AddAffiliationsBatch added %d, want 2", n)
	}
	if n := must(s.AddAffiliationsBatch(ctx, affs)); n != 0 {
		t.Errorf("AddAffiliationsBatch again added %d, want 0", n)
	}
	if n := must(s.AddAffiliations(ctx, ids[5], []int32{g})); n != 1 {
		t.Errorf("AddAffiliations added %d, want 1", n)
	}
	got := must(s.Affiliations(ctx))
	want := map[int32][]int32{ids[1]: {g}, ids[2]: {g}, ids[5]: {g}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Affiliations() mismatch (-want +got):\n%s", diff)
	}
}

func testChanges(t *testing.T, s *store.Store) {
	u1, u2, u3 := AddUser(t, s, 1), AddUser(t, s, 2), AddUser(t, s, 3)
	old := must(s.CreateCategory(ctx, pchat.Category{Name: "old", AllowedMembers: []int32{u1}}))
	r := s.Roles()
	var c store.Changes
	cat := c.Category(pchat.Category{Name: "new", AllowedMembers: []int32{u1, u2}, DeniedMembers: []int32{u2, u3}, Creators: []int32{u1}})
	room := c.Room(pchat.Room{Name: "room", CategoryID: cat, Privacy: pchat.Closed, Type: pchat.Auditorium,
		Members: []int32{u1, u2}, Managers: []int32{u1}, Presenters: []int32{u2}})
	room2 := c.Room(pchat.Room{Name: "in old", CategoryID: old, Privacy: pchat.Open, Type: pchat.Normal})
	c.Scope(store.ScopeEntry{Node: old, Prin: u1, Denied: true}, store.ScopeEntry{Node: old, Prin: u2})
	c.Grant(store.RoleGrant{Node: old, Prin: u1, Role: r.Creator}, store.RoleGrant{Node: room2, Prin: u3, Role: r.Member},
		store.RoleGrant{Node: room2, Prin: u3, Role: r.Member})
	a := must(s.Apply(ctx, &c))
	// Scopes: new has u1, u2 allowed and u3 denied (u2's denial loses to
	// its earlier allowed entry); old gains u2. Grants: new's creator,
	// room's two members, manager and presenter, old's creator, room2's
	// member (once).
	if a.Categories != 1 || a.Rooms != 2 || a.Scopes != 4 || a.Grants != 7 {
		t.Errorf("Apply = %+v, want 1 category, 2 rooms, 4 scope entries, 7 grants", *a)
	}
	for _, id := range []int32{a.ID(cat), a.ID(room), a.ID(room2)} {
		if id <= 0 {
			t.Errorf("placeholder resolved to %d", id)
		}
	}
	if a.ID(old) != old {
		t.Errorf("ID(%d) = %d, want the ID itself", old, a.ID(old))
	}
	byName := map[string]pchat.Category{}
	for _, c := range must(s.Categories(ctx)) {
		byName[c.Name] = c
	}
	if got := byName["new"]; got.ID != a.ID(cat) || !cmp.Equal(got.AllowedMembers, []int32{u1, u2}) || !cmp.Equal(got.DeniedMembers, []int32{u3}) || !cmp.Equal(got.Creators, []int32{u1}) {
		t.Errorf("new category = %+v", got)
	}
	if got := byName["old"]; !cmp.Equal(got.AllowedMembers, []int32{u1, u2}) || got.DeniedMembers != nil || !cmp.Equal(got.Creators, []int32{u1}) {
		t.Errorf("old category = %+v (u1 keeps its allowed entry)", got)
	}
	rooms := map[string]pchat.Room{}
	for _, r := range must(s.Rooms(ctx)) {
		rooms[r.Name] = r
	}
	if got := rooms["room"]; got.CategoryID != a.ID(cat) || !cmp.Equal(got.Members, []int32{u1, u2}) || !cmp.Equal(got.Presenters, []int32{u2}) {
		t.Errorf("room = %+v", got)
	}
	if got := rooms["in old"]; got.CategoryID != old || !cmp.Equal(got.Members, []int32{u3}) {
		t.Errorf("room in old = %+v", got)
	}
	// Grants and entries that exist are not added again.
	if n := must(s.AddRoleGrants(ctx, []store.RoleGrant{{Node: old, Prin: u1, Role: r.Creator}, {Node: old, Prin: u2, Role: r.Creator}})); n != 1 {
		t.Errorf("AddRoleGrants added %d, want 1", n)
	}
	if n := must(s.AddScopeEntries(ctx, []store.ScopeEntry{{Node: old, Prin: u2, Denied: true}, {Node: old, Prin: u3, Denied: true}})); n != 1 {
		t.Errorf("AddScopeEntries added %d, want 1", n)
	}
	if n := must(s.RemoveRoleGrants(ctx, []store.RoleGrant{{Node: old, Prin: u1, Role: r.Creator}, {Node: old, Prin: u3, Role: r.Creator}})); n != 1 {
		t.Errorf("RemoveRoleGrants removed %d, want 1", n)
	}
	if err := s.UpdateCategory(ctx, pchat.Category{ID: old, Name: "old renamed", ChatHistory: true}); err != nil {
		t.Errorf("UpdateCategory: %v", err)
	}
	if err := s.UpdateCategory(ctx, pchat.Category{ID: a.ID(room), Name: "x"}); err == nil {
		t.Error("UpdateCategory on a room succeeded")
	}
}

func testChangesRefused(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	before := len(must(s.Categories(ctx)))
	cases := map[string]func(c *store.Changes){
		"a room in a room": func(c *store.Changes) {
			cat := c.Category(pchat.Category{Name: "c"})
			room := c.Room(pchat.Room{Name: "r", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal})
			c.Room(pchat.Room{Name: "r2", CategoryID: room, Privacy: pchat.Open, Type: pchat.Normal})
		},
		"an unknown placeholder": func(c *store.Changes) {
			c.Category(pchat.Category{Name: "c"})
			c.Grant(store.RoleGrant{Node: -5, Prin: u, Role: s.Roles().Creator})
		},
		"an unknown role": func(c *store.Changes) {
			cat := c.Category(pchat.Category{Name: "c"})
			c.Grant(store.RoleGrant{Node: cat, Prin: u, Role: 9999})
		},
		"a name too long": func(c *store.Changes) {
			c.Category(pchat.Category{Name: "c"})
			c.Category(pchat.Category{Name: strings.Repeat("n", 257)})
		},
	}
	for name, build := range cases {
		var c store.Changes
		build(&c)
		if _, err := s.Apply(ctx, &c); err == nil {
			t.Errorf("Apply with %s succeeded", name)
		}
	}
	if after := len(must(s.Categories(ctx))); after != before {
		t.Errorf("refused changes left %d categories, had %d", after, before)
	}
}

// testNoIDReuse removes the newest room and creates another: the new room
// must not get any of the removed room's history, nor, where the database
// remembers the highest node ID (Store.KeepsNodeIDs), its ID.
func testNoIDReuse(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	room := func(name string) int32 {
		return must(s.CreateRoom(ctx, pchat.Room{Name: name, CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
	}
	keep := room("keep")
	newest := room("newest")
	must(s.AppendMessages(ctx, newest, Msgs(3, u)))
	if err := s.DeleteRoom(ctx, newest); err != nil {
		t.Fatal(err)
	}
	next := room("next")
	if next == keep || next == newest && s.KeepsNodeIDs() {
		t.Errorf("new room got ID %d; the removed newest room had %d", next, newest)
	}
	if last := must(s.LastChatID(ctx, next)); last != 0 {
		t.Errorf("new room's last chat ID = %d, want 0", last)
	}
	n := 0
	if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{next}}, func(pchat.Message) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("new room holds %d messages (%v), want none", n, err)
	}
	if first := must(s.AppendMessages(ctx, next, Msgs(1, u))); first != 1 {
		t.Errorf("new room's first chat ID = %d, want 1", first)
	}
}

func testPoolConfig(t *testing.T, s *store.Store) {
	if id := must(s.PoolID(ctx)); id != "" {
		t.Errorf("PoolID on a new pool = %q", id)
	}
	guid := "c0000000-0000-4000-8000-00000000000c"
	if err := s.SetConfig(ctx, "pool", "pchat.contoso.com", guid); err != nil {
		t.Fatal(err)
	}
	if id := must(s.PoolID(ctx)); id != guid {
		t.Errorf("PoolID = %q, want %q", id, guid)
	}
	for i := 1; i <= 2; i++ {
		if id, ok, err := s.CategoryID(ctx, fmt.Sprintf("none %d", i)); err != nil || ok {
			t.Errorf("CategoryID(missing) = %d, %v, %v", id, ok, err)
		}
	}
}

// testMultiRoomAppend appends runs of several rooms, a room twice and an
// empty run, in one call: chat IDs continue per room in run order.
func testMultiRoomAppend(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	var rooms []int32
	for i := 0; i < 3; i++ {
		rooms = append(rooms, must(s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("r%d", i), CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal})))
	}
	must(s.AppendMessages(ctx, rooms[1], Msgs(2, u)))
	runs := []store.RoomMessages{
		{Room: rooms[2], Msgs: Msgs(3, u)},
		{Room: rooms[1], Msgs: Msgs(4, u)},
		{Room: rooms[0]},
		{Room: rooms[2], Msgs: Msgs(2, u)},
	}
	firsts := must(s.AppendRoomMessages(ctx, runs))
	if diff := cmp.Diff([]int64{1, 3, 0, 4}, firsts); diff != "" {
		t.Errorf("AppendRoomMessages first chat IDs mismatch (-want +got):\n%s", diff)
	}
	counts := map[int32][]int64{}
	if err := s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		counts[m.RoomID] = append(counts[m.RoomID], m.ChatID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[int32][]int64{rooms[1]: {1, 2, 3, 4, 5, 6}, rooms[2]: {1, 2, 3, 4, 5}}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("chat IDs per room mismatch (-want +got):\n%s", diff)
	}
	for room, last := range map[int32]int64{rooms[0]: 0, rooms[1]: 6, rooms[2]: 5} {
		if got := must(s.LastChatID(ctx, room)); got != last {
			t.Errorf("LastChatID(%d) = %d, want %d", room, got, last)
		}
	}
}
