package bindings

import (
	"fmt"
	"slices"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// roomLoader: require("room")
//
//	room.list(pool [, {category=}]) -> {room...}
//	room.create(pool, {name, category, description, privacy="Closed",
//	                   type="Normal", invitations="Inherit", addin,
//	                   members, managers, presenters, creator}) -> room
//	room.can_create(pool, category, principal) -> ok, reason
//	room.disable(pool, name) -> changed
//	room.remove(pool, name)
//	room.probe(pool, category, creator) -> {name, guid, category, creator, leftover}
//
// A room table: {name, guid, category, description, privacy, type,
// invitations, disabled, addin, members, managers, presenters}. create
// applies the eligibility rules of New-/Set-CsPersistentChatRoom: the
// category exists, the name is free and at most 256 characters, the creator
// (if given) is a Creator of the category and within its allowed members,
// members, managers and presenters are within the allowed members minus the
// denied members, presenters only in auditorium rooms; the creator becomes
// a manager and a member. Violations raise validation; a taken name raises
// conflict; a missing category or add-in not_found; an unknown privacy, type
// or invitations value argument. can_create, disable and remove raise
// not_found. remove deletes the room with its history: pcmig uses it for
// its probe room; administrators use Remove-CsPersistentChatRoom.
func (e *Env) roomLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "room", map[string]lua.LGFunction{
		"list": e.roomList, "create": e.roomCreate, "can_create": e.roomCanCreate, "disable": e.roomDisable, "remove": e.roomRemove,
		"probe": e.roomProbe,
	})
	L.Push(t)
	return 1
}

type roomView struct {
	Name        string   `json:"name"`
	GUID        string   `json:"guid"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Privacy     string   `json:"privacy"`
	Type        string   `json:"type"`
	Invitations string   `json:"invitations"`
	Disabled    bool     `json:"disabled"`
	Addin       string   `json:"addin"`
	Members     []string `json:"members"`
	Managers    []string `json:"managers"`
	Presenters  []string `json:"presenters"`
}

func (e *Env) roomViewOf(L *lua.LState, s *store.Store, r *pchat.Room) roomView {
	addin := ""
	if r.AddinID != "" {
		for _, a := range e.addins(L, s) {
			if a.ID == r.AddinID {
				addin = a.Name
			}
		}
	}
	category := ""
	if c := e.categories(L, s).byID[r.CategoryID]; c != nil {
		category = c.Name
	}
	x := e.principals(L, s)
	return roomView{Name: r.Name, GUID: r.GUID, Category: category, Description: r.Description,
		Privacy: string(r.Privacy), Type: string(r.Type), Invitations: string(r.Invitations), Disabled: r.Disabled,
		Addin: addin, Members: sorted(x.labels(r.Members)), Managers: sorted(x.labels(r.Managers)),
		Presenters: sorted(x.labels(r.Presenters))}
}

// roomViews lists the rooms of a pool, or of the categories of that name.
func (e *Env) roomViews(L *lua.LState, s *store.Store, category string) []roomView {
	rooms := e.rooms(L, s).list
	if category != "" {
		// The categories of that name as the database compares names,
		// looked up once (not the key of every category per call).
		cats := e.categories(L, s).all[s.NameKey(category)]
		byCat := e.rooms(L, s).byCat
		rooms = nil
		if len(cats) == 1 {
			rooms = byCat[cats[0].ID] // already in name order
		} else {
			for _, c := range cats {
				rooms = append(rooms, byCat[c.ID]...)
			}
			slices.SortStableFunc(rooms, byRoomName)
		}
	}
	out := make([]roomView, 0, len(rooms))
	for _, r := range rooms {
		out = append(out, e.roomViewOf(L, s, r))
	}
	return out
}

func (e *Env) roomList(L *lua.LState) int {
	_, s := e.poolStore(L, 1)
	o := opts(L, "room.list")
	views := e.roomViews(L, s, optString(L, o, "category", ""))
	t := L.CreateTable(len(views), 0)
	for i := range views {
		t.Append(views[i].lua(L))
	}
	L.Push(t)
	return 1
}

// lua is the room's table, as toLua makes it (TestRoomViewTable), without
// reflection: room.list of a category of 100 rooms spent most of its time
// in toLua's reflection.
func (v *roomView) lua(L *lua.LState) *lua.LTable {
	t := L.CreateTable(0, 12)
	t.RawSetString("name", lua.LString(v.Name))
	t.RawSetString("guid", lua.LString(v.GUID))
	t.RawSetString("category", lua.LString(v.Category))
	t.RawSetString("description", lua.LString(v.Description))
	t.RawSetString("privacy", lua.LString(v.Privacy))
	t.RawSetString("type", lua.LString(v.Type))
	t.RawSetString("invitations", lua.LString(v.Invitations))
	t.RawSetString("disabled", lua.LBool(v.Disabled))
	t.RawSetString("addin", lua.LString(v.Addin))
	t.RawSetString("members", luaStrings(L, v.Members))
	t.RawSetString("managers", luaStrings(L, v.Managers))
	t.RawSetString("presenters", luaStrings(L, v.Presenters))
	return t
}

// luaStrings is a list of strings as a Lua list.
func luaStrings(L *lua.LState, list []string) *lua.LTable {
	t := L.CreateTable(len(list), 0)
	for _, s := range list {
		t.Append(lua.LString(s))
	}
	return t
}

// canCreate applies the rule for room creation: the principal is a Creator
// of the category and within its allowed members minus denied members.
func canCreate(x *prinIndex, c pchat.Category, pr *pchat.Principal) (bool, string) {
	if pr == nil {
		return false, "not provisioned in this pool"
	}
	isCreator := false
	for _, id := range c.Creators {
		if id == pr.ID {
			isCreator = true
		}
	}
	switch {
	case pr.State != pchat.Active:
		return false, fmt.Sprintf("%s is %s", pr.URI, pr.State)
	case !isCreator:
		return false, fmt.Sprintf("%s is not a creator of category %q", pr.URI, c.Name)
	case !x.allowed(c, pr.ID):
		return false, fmt.Sprintf("%s is a creator but not within category %q's allowed members minus denied members", pr.URI, c.Name)
	}
	return true, ""
}

func (e *Env) roomCanCreate(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	who := L.CheckString(3)
	c := e.categories(L, s).find(name)
	if c == nil {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	x := e.principals(L, s)
	okc, why := canCreate(x, *c, x.find(who))
	L.Push(lua.LBool(okc))
	if why == "" {
		L.Push(lua.LNil)
	} else {
		L.Push(lua.LString(why))
	}
	return 2
}

// roomFields are the fields of a room to create (room.create's table).
type roomFields struct {
	Name, Category, Description, Privacy, Type, Invitations, Addin, Creator string
	Members, Managers, Presenters                                           []string
}

func (e *Env) roomCreate(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	o := opts(L, "room.create")
	f := roomFields{Name: optString(L, o, "name", ""), Category: optString(L, o, "category", ""),
		Description: optString(L, o, "description", ""), Privacy: optString(L, o, "privacy", "Closed"),
		Type: optString(L, o, "type", "Normal"), Invitations: optString(L, o, "invitations", "Inherit"),
		Addin: optString(L, o, "addin", ""), Creator: optString(L, o, "creator", ""),
		Members: optStrings(L, o, "members"), Managers: optStrings(L, o, "managers"), Presenters: optStrings(L, o, "presenters")}
	if f.Name == "" || f.Category == "" {
		L.ArgError(2, "name and category are required")
	}
	checkNewName(L, "room", f.Name)
	r := e.createRoom(L, p, s, f, "")
	v := e.roomViewOf(L, s, r)
	L.Push(v.lua(L))
	return 1
}

// createRoom creates a room after checking it as room.create documents;
// guid is the room's GUID, or "" for a new one.
func (e *Env) createRoom(L *lua.LState, p estate.Pool, s *store.Store, f roomFields, guid string) *pchat.Room {
	name, catName := f.Name, f.Category
	checkText(L, s, "room name", "nodeName", name)
	checkText(L, s, "room description", "nodeDesc", f.Description)
	cp := e.categories(L, s).find(catName)
	if cp == nil {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s: every room needs an existing category", catName, p.Pool)
	}
	c := *cp
	if e.roomTaken(L, s, name) {
		pcrt.RaiseError(L, pcrt.KindConflict, "room %q already exists in %s", name, p.Pool)
	}
	privacy, err := pchat.ParsePrivacy(f.Privacy)
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "%v", err)
	}
	typ, err := pchat.ParseRoomType(f.Type)
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "%v", err)
	}
	inv, err := pchat.ParseInvitations(f.Invitations)
	if err != nil || inv == pchat.InvitationsTrue {
		pcrt.RaiseError(L, pcrt.KindArgument, "invitations: want Inherit or False")
	}
	x := e.principals(L, s)
	r := pchat.Room{Name: name, CategoryID: c.ID, Description: f.Description, Privacy: privacy, Type: typ, Invitations: inv}
	r.Members = resolve(L, x, "members", f.Members)
	r.Managers = resolve(L, x, "managers", f.Managers)
	r.Presenters = resolve(L, x, "presenters", f.Presenters)
	if len(r.Presenters) > 0 && typ != pchat.Auditorium {
		pcrt.RaiseError(L, pcrt.KindValidation, "presenters apply to auditorium rooms only; room %q is %s", name, typ)
	}
	if who := f.Creator; who != "" {
		pr := x.find(who)
		if ok, why := canCreate(x, c, pr); !ok {
			pcrt.RaiseError(L, pcrt.KindValidation, "cannot create room %q: %s", name, why)
		}
		r.Managers = appendNew(r.Managers, pr.ID)
		r.Members = appendNew(r.Members, pr.ID)
		r.AddedBy, r.UpdatedBy = pr.ID, pr.ID
	}
	for _, l := range []struct {
		role string
		ids  []int32
	}{{"member", r.Members}, {"manager", r.Managers}, {"presenter", r.Presenters}} {
		for _, id := range l.ids {
			if !x.allowed(c, id) {
				pcrt.RaiseError(L, pcrt.KindValidation, "%s %s is not within category %q's allowed members minus denied members", l.role, x.label(id), c.Name)
			}
		}
	}
	if a := f.Addin; a != "" {
		for _, x := range e.addins(L, s) {
			if s.AddinKey(x.Name) == s.AddinKey(a) {
				r.AddinID = x.ID
			}
		}
		if r.AddinID == "" {
			pcrt.RaiseError(L, pcrt.KindNotFound, "add-in %q is not in %s", a, p.Pool)
		}
	}
	now := pchat.TicksFromTime(e.now())
	r.AddedOn, r.UpdatedOn = now, now
	r.GUID = guid
	if r.GUID == "" {
		r.GUID = store.NewGUID()
	}
	id, err := s.CreateRoom(L.Context(), r)
	check(L, err)
	// As the store wrote it: one role row per principal and role.
	r.ID = id
	r.Members, r.Managers, r.Presenters = union(nil, r.Members), union(nil, r.Managers), union(nil, r.Presenters)
	e.roomAdded(s, &r)
	record(L, pcrt.Action{Module: "room", Op: "create", Target: p.Pool + `\` + name,
		Detail: fmt.Sprintf("in %q, %s %s, %s, %s", c.Name, privacy, typ, numtext.Count(len(r.Members), "member", "members"), numtext.Count(len(r.Managers), "manager", "managers"))})
	return &r
}

func appendNew(l []int32, id int32) []int32 {
	for _, v := range l {
		if v == id {
			return l
		}
	}
	return append(l, id)
}

func (e *Env) roomDisable(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	r := e.rooms(L, s).find(name)
	if r == nil {
		pcrt.RaiseError(L, pcrt.KindNotFound, "room %q is not in %s", name, p.Pool)
	}
	now := pchat.TicksFromTime(e.now())
	n, err := s.DisableRooms(L.Context(), []int32{r.ID}, pchat.SystemUserID, now)
	check(L, err)
	if n > 0 {
		r.Disabled, r.UpdatedBy, r.UpdatedOn = true, pchat.SystemUserID, now
		record(L, pcrt.Action{Module: "room", Op: "disable", Target: p.Pool + `\` + name})
	}
	L.Push(lua.LBool(n > 0))
	return 1
}

func (e *Env) roomRemove(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	e.removeRoom(L, p, s, L.CheckString(2))
	return 0
}

// removeRoom deletes the room of this name with its history.
func (e *Env) removeRoom(L *lua.LState, p estate.Pool, s *store.Store, name string) {
	if pc := e.poolCache(s); pc.rooms == nil {
		// Removing a room (pcmig's probe room) does not read every room:
		// the store finds it by name, and the counts are read again.
		id, ok, err := s.RoomID(L.Context(), name)
		check(L, err)
		if !ok {
			pcrt.RaiseError(L, pcrt.KindNotFound, "room %q is not in %s", name, p.Pool)
		}
		check(L, s.DeleteRoom(L.Context(), id))
		pc.roomCounts = nil
	} else {
		r := pc.rooms.find(name)
		if r == nil {
			pcrt.RaiseError(L, pcrt.KindNotFound, "room %q is not in %s", name, p.Pool)
		}
		check(L, s.DeleteRoom(L.Context(), r.ID))
		pc.rooms.remove(r)
	}
	record(L, pcrt.Action{Module: "room", Op: "remove", Target: p.Pool + `\` + name})
}
