package bindings

import (
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// poolCache is what the modules know of one pool (one open store) during a
// run: its principals, categories, rooms and add-ins, each read once, on
// first use, and kept current by the modules' own writes (which, in a dry
// run, go to the simulated store: the cache then shows what earlier steps
// would have produced). A pool holds up to 150,000 principals and tens of
// thousands of rooms, and scripts ask category by category: reading the
// pool per call made a 200-category loop take a minute.
//
// Writes made behind the modules' back (another program, an import, an
// export that disables rooms) are not seen until the pool is forgotten:
// import.run and export.run forget what they may have changed, and
// [Env.Refresh] forgets everything.
type poolCache struct {
	prins *prinIndex
	cats  *catIndex
	rooms *roomIndex
	// roomCounts is how many rooms each category holds, read without the
	// rooms while rooms is nil (category views need only the counts).
	roomCounts map[int32]int
	addins     []pchat.Addin
	// addinsRead is true once addins holds the pool's add-ins.
	addinsRead bool
}

// pool returns the cache of a store, making an empty one on first use.
func (e *Env) poolCache(s *store.Store) *poolCache {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.poolViews == nil {
		e.poolViews = map[*store.Store]*poolCache{}
	}
	c := e.poolViews[s]
	if c == nil {
		c = &poolCache{}
		e.poolViews[s] = c
	}
	return c
}

// forgetPool drops what is cached of a pool that something other than the
// category, creator and room modules may have changed (an import).
func (e *Env) forgetPool(s *store.Store) {
	e.mu.Lock()
	delete(e.poolViews, s)
	e.mu.Unlock()
}

// Refresh forgets everything the modules read from the pools, so that the
// next call reads them again. A caller that changed a pool's database
// behind the modules' back during a run calls it.
func (e *Env) Refresh() {
	e.mu.Lock()
	e.poolViews = nil
	e.mu.Unlock()
}

// catIndex is a pool's categories in name order (as Store.Categories
// returns them), found by ID or name.
type catIndex struct {
	key   func(string) string // the database's name key (Store.NameKey)
	list  []*pchat.Category
	byID  map[int32]*pchat.Category
	byKey map[string]*pchat.Category // the first of each name in name order
	// all are every category of each name key, in name order: a
	// hand-built pool may hold several that the database's comparison
	// takes for one name (room.list's category option takes them all).
	all map[string][]*pchat.Category
}

func newCatIndex(key func(string) string, cats []pchat.Category) *catIndex {
	x := &catIndex{key: key}
	for i := range cats {
		x.list = append(x.list, &cats[i])
	}
	x.reindex()
	return x
}

// reindex sorts the list by name and rebuilds the maps.
func (x *catIndex) reindex() {
	slices.SortStableFunc(x.list, func(a, b *pchat.Category) int { return strings.Compare(a.Name, b.Name) })
	x.byID = make(map[int32]*pchat.Category, len(x.list))
	x.byKey = make(map[string]*pchat.Category, len(x.list))
	x.all = make(map[string][]*pchat.Category, len(x.list))
	for _, c := range x.list {
		x.byID[c.ID] = c
		k := x.key(c.Name)
		if x.byKey[k] == nil {
			x.byKey[k] = c
		}
		x.all[k] = append(x.all[k], c)
	}
}

func (x *catIndex) find(name string) *pchat.Category { return x.byKey[x.key(name)] }

// categories returns the pool's category index, reading it on first use.
func (e *Env) categories(L *lua.LState, s *store.Store) *catIndex {
	pc := e.poolCache(s)
	if pc.cats == nil {
		cats, err := s.Categories(L.Context())
		check(L, err)
		pc.cats = newCatIndex(s.NameKey, cats)
	}
	return pc.cats
}

// categoryByName finds a category of a pool by name, any case.
func (e *Env) categoryByName(L *lua.LState, s *store.Store, name string) (pchat.Category, bool) {
	if c := e.categories(L, s).find(name); c != nil {
		return *c, true
	}
	return pchat.Category{}, false
}

// roomIndex is a pool's rooms in name order (as Store.Rooms returns them),
// found by ID, name or category.
type roomIndex struct {
	key   func(string) string // the database's name key (Store.NameKey)
	list  []*pchat.Room
	byKey map[string]*pchat.Room // the lowest nodeID of each name, as Store.RoomID finds it
	byCat map[int32][]*pchat.Room
}

func newRoomIndex(key func(string) string, rooms []pchat.Room) *roomIndex {
	x := &roomIndex{key: key, byKey: make(map[string]*pchat.Room, len(rooms)), byCat: map[int32][]*pchat.Room{}}
	for i := range rooms {
		r := &rooms[i]
		x.list = append(x.list, r)
		x.byCat[r.CategoryID] = append(x.byCat[r.CategoryID], r)
		if k := x.key(r.Name); x.byKey[k] == nil || r.ID < x.byKey[k].ID {
			x.byKey[k] = r
		}
	}
	return x
}

func (x *roomIndex) find(name string) *pchat.Room { return x.byKey[x.key(name)] }

func byRoomName(a, b *pchat.Room) int { return strings.Compare(a.Name, b.Name) }

// add inserts a new room in name order.
func (x *roomIndex) add(r *pchat.Room) {
	insert := func(l []*pchat.Room) []*pchat.Room {
		i, _ := slices.BinarySearchFunc(l, r, byRoomName)
		return slices.Insert(l, i, r)
	}
	x.list = insert(x.list)
	x.byCat[r.CategoryID] = insert(x.byCat[r.CategoryID])
	if k := x.key(r.Name); x.byKey[k] == nil || r.ID < x.byKey[k].ID {
		x.byKey[k] = r
	}
}

// remove takes a room out of the index.
func (x *roomIndex) remove(r *pchat.Room) {
	drop := func(l []*pchat.Room) []*pchat.Room {
		return slices.DeleteFunc(l, func(v *pchat.Room) bool { return v == r })
	}
	x.list = drop(x.list)
	x.byCat[r.CategoryID] = drop(x.byCat[r.CategoryID])
	k := x.key(r.Name)
	if x.byKey[k] != r {
		return
	}
	delete(x.byKey, k)
	for _, v := range x.list { // another room of the same name, if the pool has one
		if x.key(v.Name) == k && (x.byKey[k] == nil || v.ID < x.byKey[k].ID) {
			x.byKey[k] = v
		}
	}
}

// rooms returns the pool's room index, reading it on first use.
func (e *Env) rooms(L *lua.LState, s *store.Store) *roomIndex {
	pc := e.poolCache(s)
	if pc.rooms == nil {
		rooms, err := s.Rooms(L.Context())
		check(L, err)
		pc.rooms = newRoomIndex(s.NameKey, rooms)
	}
	return pc.rooms
}

// roomCount returns how many rooms a category holds: from the room index
// when it is read, else from counts read on first use.
func (e *Env) roomCount(L *lua.LState, s *store.Store, cat int32) int {
	pc := e.poolCache(s)
	if pc.rooms != nil {
		return len(pc.rooms.byCat[cat])
	}
	if pc.roomCounts == nil {
		n, err := s.RoomCounts(L.Context())
		check(L, err)
		pc.roomCounts = n
	}
	return pc.roomCounts[cat]
}

// roomTaken reports whether the pool has a room of this name: from the room
// index when it is read, else by asking the store, which reads the rooms'
// names only (a probe room must not cost reading every room's roles).
func (e *Env) roomTaken(L *lua.LState, s *store.Store, name string) bool {
	if pc := e.poolCache(s); pc.rooms != nil {
		return pc.rooms.find(name) != nil
	}
	_, taken, err := s.RoomID(L.Context(), name)
	check(L, err)
	return taken
}

// roomAdded keeps the cached rooms current: the index when it is read,
// else the counts.
func (e *Env) roomAdded(s *store.Store, r *pchat.Room) {
	pc := e.poolCache(s)
	switch {
	case pc.rooms != nil:
		pc.rooms.add(r)
	case pc.roomCounts != nil:
		pc.roomCounts[r.CategoryID]++
	}
}

// addins returns the pool's add-ins, reading them on first use.
func (e *Env) addins(L *lua.LState, s *store.Store) []pchat.Addin {
	pc := e.poolCache(s)
	if !pc.addinsRead {
		a, err := s.Addins(L.Context())
		check(L, err)
		pc.addins, pc.addinsRead = a, true
	}
	return pc.addins
}

// union returns the sorted IDs of have and add together, without repeats.
func union(have, add []int32) []int32 {
	out := slices.Concat(have, add)
	slices.Sort(out)
	return slices.Compact(out)
}
