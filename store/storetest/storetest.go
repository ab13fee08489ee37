// Package storetest is the conformance suite every store dialect must pass:
// the embedded SQLite store always, SQL Server when PCMIG_TEST_MSSQL_DSN
// names a scratch database.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// Opener returns a freshly created, empty Persistent Chat database (schema
// and static rows only) for one test.
type Opener func(t *testing.T) *store.Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *store.Store)
	}{
		{"EmptyPool", testEmptyPool},
		{"Principals", testPrincipals},
		{"CategoriesAndRooms", testCategoriesAndRooms},
		{"RolesAndScopes", testRolesAndScopes},
		{"Addins", testAddins},
		{"Messages", testMessages},
		{"MessagePaging", testMessagePaging},
		{"LargeBatch", testLargeBatch},
		{"ZeroTimes", testZeroTimes},
		{"DisableAndDelete", testDisableAndDelete},
		{"LiveServersRefuseWrites", testLiveServers},
		{"PrincipalBatch", testPrincipalBatch},
		{"Changes", testChanges},
		{"ChangesRefused", testChangesRefused},
		{"NoIDReuse", testNoIDReuse},
		{"PoolConfig", testPoolConfig},
		{"RTFRoundTrip", testRTFRoundTrip},
		{"EdgeText", testEdgeText},
		{"NamesCompareAsTheDatabase", testNamesCompareAsTheDatabase},
		{"MultiRoomAppend", testMultiRoomAppend},
		{"Shape", testShape},
		{"AnyOrderAndCounts", testAnyOrderAndCounts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			defer func() {
				if r := recover(); r != nil {
					f, ok := r.(failure)
					if !ok {
						panic(r)
					}
					t.Fatalf("unexpected error: %v", f.err)
				}
			}()
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

// Tick is a fixed time stamp above 2^53 to catch float conversions.
var Tick = pchat.TicksFromTime(time.Date(2019, 6, 4, 20, 15, 40, 950_000_000, time.UTC)) + 1

// failure carries an unexpected error out of a test through must; Run
// turns it into t.Fatal.
type failure struct{ err error }

func must[T any](v T, err error) T {
	if err != nil {
		panic(failure{err})
	}
	return v
}

func user(i int) pchat.Principal {
	return pchat.Principal{
		GUID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), URI: fmt.Sprintf("sip:user%d@contoso.com", i),
		Type: pchat.TypeUser, Name: fmt.Sprintf("User %d", i), DisplayName: fmt.Sprintf("Üser %d", i),
		Email: fmt.Sprintf("user%d@contoso.com", i), ADPath: fmt.Sprintf("CN=User %d,OU=Staff,DC=contoso,DC=com", i),
		UPN: fmt.Sprintf("user%d@contoso.com", i), AddedOn: Tick, UpdatedOn: Tick + 1,
		VerifiedOn: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

// AddUser inserts a test user and returns its ID.
func AddUser(t *testing.T, s *store.Store, i int) int32 {
	t.Helper()
	id, created, err := s.EnsurePrincipal(ctx, user(i))
	if err != nil || !created {
		t.Fatalf("EnsurePrincipal(user %d) = %d, %v, %v", i, id, created, err)
	}
	return id
}

func testEmptyPool(t *testing.T, s *store.Store) {
	if cats := must(s.Categories(ctx)); len(cats) != 0 {
		t.Errorf("Categories() on an empty pool = %v", cats)
	}
	if rooms := must(s.Rooms(ctx)); len(rooms) != 0 {
		t.Errorf("Rooms() on an empty pool = %v", rooms)
	}
	r := s.Roles()
	ids := map[int32]bool{r.Member: true, r.Manager: true, r.Voiced: true, r.Creator: true}
	if len(ids) != 4 {
		t.Errorf("Roles() = %+v, want four distinct role type IDs", r)
	}
}

func testPrincipals(t *testing.T, s *store.Store) {
	u := user(7)
	pool := int32(3)
	u.PoolID = &pool
	id := must(func() (int32, error) { id, _, err := s.EnsurePrincipal(ctx, u); return id, err }())
	again, created, err := s.EnsurePrincipal(ctx, u)
	if err != nil || created || again != id {
		t.Errorf("EnsurePrincipal twice = %d, %v, %v; want %d, false, nil", again, created, err, id)
	}
	// Matched by URI when it has no GUID.
	other := u
	other.GUID = ""
	other.URI = strings.ToUpper(u.URI)
	if got, created, err := s.EnsurePrincipal(ctx, other); err != nil || created || got != id {
		t.Errorf("EnsurePrincipal(same URI, no GUID) = %d, %v, %v; want %d, false, nil", got, created, err, id)
	}
	// Another GUID is another AD object, even with the same URI (a user
	// deleted and created again): a principal of its own.
	other.GUID = "aaaaaaaa-0000-4000-8000-000000000000"
	if got, created, err := s.EnsurePrincipal(ctx, other); err != nil || !created || got == id {
		t.Errorf("EnsurePrincipal(same URI, other GUID) = %d, %v, %v; want a new principal, not %d", got, created, err, id)
	}
	all := must(s.Principals(ctx))
	var got *pchat.Principal
	for i := range all {
		if all[i].ID == id {
			got = &all[i]
		}
	}
	if got == nil {
		t.Fatalf("principal %d not listed", id)
	}
	want := u
	want.ID = id
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("Principals() mismatch (-want +got):\n%s", diff)
	}
}

func testCategoriesAndRooms(t *testing.T, s *store.Store) {
	u1, u2 := AddUser(t, s, 1), AddUser(t, s, 2)
	cat := pchat.Category{Name: "Ünïcødé 日本語 category", Description: "desc", Invitations: true, FileUpload: false, ChatHistory: true,
		AllowedMembers: []int32{u1, u2}, Creators: []int32{u1}, AddedBy: u1, AddedOn: Tick, UpdatedBy: u1, UpdatedOn: Tick}
	cid := must(s.CreateCategory(ctx, cat))
	room := pchat.Room{Name: "Room 'quoted' $x", Description: "", CategoryID: cid, Privacy: pchat.Secret, Type: pchat.Auditorium,
		Invitations: pchat.InvitationsFalse, Members: []int32{u1, u2}, Managers: []int32{u1}, Presenters: []int32{u2},
		AddedBy: u1, AddedOn: Tick, UpdatedBy: u2, UpdatedOn: Tick + 5}
	rid := must(s.CreateRoom(ctx, room))
	cats := must(s.Categories(ctx))
	if len(cats) != 1 {
		t.Fatalf("Categories() = %d categories, want 1", len(cats))
	}
	cat.ID, cat.GUID = cid, cats[0].GUID
	if diff := cmp.Diff(cat, cats[0]); diff != "" {
		t.Errorf("Categories() mismatch (-want +got):\n%s", diff)
	}
	if _, err := pchat.CanonicalGUID(cats[0].GUID); err != nil {
		t.Errorf("category GUID: %v", err)
	}
	rooms := must(s.Rooms(ctx))
	if len(rooms) != 1 {
		t.Fatalf("Rooms() = %d rooms, want 1", len(rooms))
	}
	room.ID, room.GUID = rid, rooms[0].GUID
	if diff := cmp.Diff(room, rooms[0]); diff != "" {
		t.Errorf("Rooms() mismatch (-want +got):\n%s", diff)
	}
	// Update round trip and lookups by name, any case.
	room.Privacy, room.Type, room.Invitations, room.Description = pchat.Open, pchat.Normal, pchat.Inherit, "changed"
	if err := s.UpdateRoom(ctx, room); err != nil {
		t.Fatal(err)
	}
	if got := must(s.Rooms(ctx))[0]; got.Privacy != pchat.Open || got.Type != pchat.Normal || got.Invitations != pchat.Inherit || got.Description != "changed" {
		t.Errorf("after UpdateRoom: %+v", got)
	}
	if id, ok, err := s.CategoryID(ctx, strings.ToUpper(cat.Name)); err != nil || !ok || id != cid {
		t.Errorf("CategoryID = %d, %v, %v", id, ok, err)
	}
	if _, ok, err := s.RoomID(ctx, "no such room"); err != nil || ok {
		t.Errorf("RoomID(missing) = %v, %v", ok, err)
	}
	if _, err := s.CreateRoom(ctx, pchat.Room{Name: "orphan", Privacy: pchat.Open, Type: pchat.Normal}); err == nil {
		t.Error("CreateRoom without a category succeeded")
	}
	if _, err := s.CreateCategory(ctx, pchat.Category{Name: strings.Repeat("x", 257)}); err == nil {
		t.Error("CreateCategory with a 257-character name succeeded")
	}
}

func testRolesAndScopes(t *testing.T, s *store.Store) {
	u1, u2, u3 := AddUser(t, s, 1), AddUser(t, s, 2), AddUser(t, s, 3)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c", AddedOn: Tick, UpdatedOn: Tick}))
	if n := must(s.AddScopes(ctx, cid, false, []int32{u1, u2})); n != 2 {
		t.Errorf("AddScopes(allowed) added %d, want 2", n)
	}
	if n := must(s.AddScopes(ctx, cid, true, []int32{u2, u3})); n != 1 {
		t.Errorf("AddScopes(denied) added %d, want 1 (u2 is already allowed)", n)
	}
	if n := must(s.AddRoles(ctx, cid, "Creator", []int32{u1, u1, u2})); n != 2 {
		t.Errorf("AddRoles(Creator) added %d, want 2", n)
	}
	if n := must(s.RemoveRoles(ctx, cid, "creator", []int32{u2, u3})); n != 1 {
		t.Errorf("RemoveRoles removed %d, want 1", n)
	}
	c := must(s.Categories(ctx))[0]
	want := pchat.Category{ID: cid, GUID: c.GUID, Name: "c", AllowedMembers: []int32{u1, u2}, DeniedMembers: []int32{u3},
		Creators: []int32{u1}, AddedBy: pchat.SystemUserID, UpdatedBy: pchat.SystemUserID, AddedOn: Tick, UpdatedOn: Tick}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Categories() mismatch (-want +got):\n%s", diff)
	}
	if _, err := s.AddRoles(ctx, cid, "Owner", []int32{u1}); err == nil {
		t.Error("AddRoles with an unknown role succeeded")
	}
}

func testAddins(t *testing.T, s *store.Store) {
	a := pchat.Addin{ID: "11111111-2222-4333-8444-555555555555", Name: "Ticker", URL: "https://addins.contoso.com/ticker"}
	id, created, err := s.EnsureAddin(ctx, a)
	if err != nil || !created || id != a.ID {
		t.Fatalf("EnsureAddin = %q, %v, %v", id, created, err)
	}
	if id2, created, err := s.EnsureAddin(ctx, pchat.Addin{Name: "ticker", URL: "x"}); err != nil || created || id2 != id {
		t.Errorf("EnsureAddin(same name) = %q, %v, %v", id2, created, err)
	}
	if diff := cmp.Diff([]pchat.Addin{a}, must(s.Addins(ctx))); diff != "" {
		t.Errorf("Addins() mismatch (-want +got):\n%s", diff)
	}
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	must(s.CreateRoom(ctx, pchat.Room{Name: "r", CategoryID: cid, Privacy: pchat.Closed, Type: pchat.Normal, AddinID: id}))
	if got := must(s.Rooms(ctx))[0].AddinID; got != id {
		t.Errorf("room add-in = %q, want %q", got, id)
	}
}

// Msgs builds n test messages with awkward text.
func Msgs(n int, poster int32) []pchat.Message {
	out := make([]pchat.Message, n)
	for i := range out {
		var rtf *string
		if i%3 == 0 {
			r := fmt.Sprintf(`{\rtf1\ansi message %d \u8364?}`, i)
			rtf = &r
		}
		out[i] = pchat.Message{Date: Tick + int64(i)*10_000_000, UserID: poster, Alert: i%7 == 0,
			Content: fmt.Sprintf("message %d: ünïcødé 日本語 🎉 'quote' \"dq\" \\ ma-filelink:///f%d.txt", i, i), RTF: rtf}
	}
	return out
}

// testShape: Shape counts what a migration adds, from an empty pool on.
func testShape(t *testing.T, s *store.Store) {
	before := must(s.Shape(ctx))
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	rid := must(s.CreateRoom(ctx, pchat.Room{Name: "r", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
	must(s.AppendMessages(ctx, rid, Msgs(7, u)))
	got := must(s.Shape(ctx))
	want := store.Shape{Nodes: before.Nodes + 2, Principals: before.Principals + 1, Messages: before.Messages + 7}
	if got != want {
		t.Errorf("Shape after a user, a category, a room and 7 messages = %+v, want %+v (before: %+v)", got, want, before)
	}
}

func testMessages(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	rid := must(s.CreateRoom(ctx, pchat.Room{Name: "r", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
	batch := Msgs(10, u)
	empty := ""
	batch[1].RTF = &empty
	if first := must(s.AppendMessages(ctx, rid, batch[:4])); first != 1 {
		t.Errorf("first chatId = %d, want 1", first)
	}
	if first := must(s.AppendMessages(ctx, rid, batch[4:])); first != 5 {
		t.Errorf("second batch first chatId = %d, want 5", first)
	}
	var got []pchat.Message
	if err := s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error { got = append(got, m); return nil }); err != nil {
		t.Fatal(err)
	}
	want := Msgs(10, u)
	want[1].RTF = &empty
	for i := range want {
		want[i].RoomID, want[i].ChatID = rid, int64(i+1)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StreamMessages mismatch (-want +got):\n%s", diff)
	}
	if last := must(s.LastChatID(ctx, rid)); last != 10 {
		t.Errorf("LastChatID = %d, want 10", last)
	}
	stats := must(s.MessageStats(ctx, 0))[rid]
	if stats.Messages != 10 || stats.LastChatID != 10 || stats.FileLinks != 10 || stats.FirstTick != Tick {
		t.Errorf("MessageStats = %+v", stats)
	}
	got = nil
	since := Tick + 5*10_000_000
	if err := s.StreamMessages(ctx, store.MessageFilter{SinceTick: since}, func(m pchat.Message) error { got = append(got, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0].ChatID != 6 {
		t.Errorf("StreamMessages(since) = %d messages starting at %v", len(got), got)
	}
}

func testMessagePaging(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	var rooms []int32
	for i := 0; i < 3; i++ {
		rid := must(s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("r%d", i), CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
		must(s.AppendMessages(ctx, rid, Msgs(25+i, u)))
		rooms = append(rooms, rid)
	}
	var keys [][2]int64
	err := s.StreamMessages(ctx, store.MessageFilter{PageSize: 7}, func(m pchat.Message) error {
		keys = append(keys, [2]int64{int64(m.RoomID), m.ChatID})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want [][2]int64
	for i, r := range rooms {
		for c := 1; c <= 25+i; c++ {
			want = append(want, [2]int64{int64(r), int64(c)})
		}
	}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("paged keys mismatch (-want +got):\n%s", diff)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: rooms[1:2]}, func(pchat.Message) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("StreamMessages stopping = %v after %d", err, n)
	}
}

// testLargeBatch appends one batch big enough for the bulk paths (SQL
// Server bulk copy from 1,000 rows; several multi-row INSERTs on SQLite).
func testLargeBatch(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	rid := must(s.CreateRoom(ctx, pchat.Room{Name: "r", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
	const n = 1234
	if first := must(s.AppendMessages(ctx, rid, Msgs(n, u))); first != 1 {
		t.Errorf("first chatId = %d, want 1", first)
	}
	want := Msgs(n, u)
	for i := range want {
		want[i].RoomID, want[i].ChatID = rid, int64(i+1)
	}
	var got []pchat.Message
	if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{rid}}, func(m pchat.Message) error { got = append(got, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StreamMessages mismatch (-want +got):\n%s", diff)
	}
	if last := must(s.LastChatID(ctx, rid)); last != n {
		t.Errorf("LastChatID = %d, want %d", last, n)
	}
}

// testZeroTimes stores a principal without a verification time (SQL
// Server's datetime cannot hold the zero time) and reads it back.
func testZeroTimes(t *testing.T, s *store.Store) {
	p := pchat.Principal{GUID: "0000000a-0000-4000-8000-00000000000a", URI: "sip:new@contoso.com", Type: pchat.TypeUser, AddedOn: Tick, UpdatedOn: Tick}
	id, _, err := s.EnsurePrincipal(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = id
	for _, got := range must(s.Principals(ctx)) {
		if got.ID == id {
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("Principals() mismatch (-want +got):\n%s", diff)
			}
			return
		}
	}
	t.Errorf("principal %d not listed", id)
}

func testDisableAndDelete(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	r1 := must(s.CreateRoom(ctx, pchat.Room{Name: "r1", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal, Members: []int32{u}}))
	r2 := must(s.CreateRoom(ctx, pchat.Room{Name: "r2", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
	must(s.AppendMessages(ctx, r1, Msgs(3, u)))
	if n := must(s.DisableRooms(ctx, []int32{r1, r2, r1}, u, Tick)); n != 2 {
		t.Errorf("DisableRooms changed %d, want 2", n)
	}
	for _, r := range must(s.Rooms(ctx)) {
		if !r.Disabled {
			t.Errorf("room %q not disabled", r.Name)
		}
	}
	if err := s.DeleteRoom(ctx, r1); err != nil {
		t.Fatal(err)
	}
	if rooms := must(s.Rooms(ctx)); len(rooms) != 1 || rooms[0].ID != r2 {
		t.Errorf("after DeleteRoom: %v", rooms)
	}
	n := 0
	if err := s.StreamMessages(ctx, store.MessageFilter{}, func(pchat.Message) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("messages after DeleteRoom = %d, %v", n, err)
	}
	if err := s.DeleteRoom(ctx, r1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteRoom twice = %v, want ErrNotFound", err)
	}
}

func testLiveServers(t *testing.T, s *store.Store) {
	if live := must(s.LiveServers(ctx)); len(live) != 0 {
		t.Errorf("LiveServers on a new pool = %v", live)
	}
}
