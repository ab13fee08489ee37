package importer

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// source is the archive's structure, held in memory (principals, categories,
// add-ins and rooms are small next to the messages, which are streamed).
type source struct {
	manifest archive.Manifest
	prins    []archive.Principal
	prinIdx  map[string]int // GUID -> index in prins
	cats     []archive.Category
	addins   []archive.Addin
	rooms    []archive.Room
	// From the pre-pass over the messages.
	roomMessages   map[string]int64     // room GUID -> messages
	streamPos      map[string]int       // room GUID -> its place in the messages' order
	unknownPosters map[string]int64     // poster GUID not among the principals -> messages
	posted         []int64              // messages of each principal, by index in prins
	badDates       map[string]*badDates // room GUID -> messages dated outside the DateTime range
	text           textSample           // the messages' characters and longest values (text.go)
	problems       []Problem
}

// Errors in the archive's content are marked archive.ErrDamaged.
func readArchive(ctx context.Context, r *archive.Reader) (*source, error) {
	a, err := readParts(ctx, r)
	return a, archive.Damaged(err)
}

// ctxEvery is how many messages the pre-pass reads between checks of its
// context.
const ctxEvery = 256

// readStructure reads the archive's small parts: principals, categories,
// add-ins and rooms (no message).
func readStructure(r *archive.Reader) (*source, error) {
	a := &source{manifest: r.Manifest(), prinIdx: map[string]int{}, roomMessages: map[string]int64{}, streamPos: map[string]int{}, unknownPosters: map[string]int64{}}
	if err := r.Principals(func(p archive.Principal) error {
		a.prinIdx[p.GUID] = len(a.prins)
		a.prins = append(a.prins, p)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := r.Categories(func(c archive.Category) error {
		a.intern(c.AllowedMembers, c.DeniedMembers, c.Creators)
		c.AddedBy, c.UpdatedBy = a.internOne(c.AddedBy), a.internOne(c.UpdatedBy)
		a.cats = append(a.cats, c)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := r.Addins(func(x archive.Addin) error { a.addins = append(a.addins, x); return nil }); err != nil {
		return nil, err
	}
	if err := r.Rooms(func(x archive.Room) error {
		a.intern(x.Members, x.Managers, x.Presenters)
		x.AddedBy, x.UpdatedBy = a.internOne(x.AddedBy), a.internOne(x.UpdatedBy)
		a.rooms = append(a.rooms, x)
		return nil
	}); err != nil {
		return nil, err
	}
	a.posted = make([]int64, len(a.prins))
	return a, nil
}

// structureOnly is a source with a's small parts and nothing yet of its
// messages.
func (a *source) structureOnly() *source {
	return &source{manifest: a.manifest, prins: a.prins, prinIdx: a.prinIdx, cats: a.cats, addins: a.addins, rooms: a.rooms,
		roomMessages: map[string]int64{}, streamPos: map[string]int{}, unknownPosters: map[string]int64{}, posted: make([]int64, len(a.prins))}
}

func readParts(ctx context.Context, r *archive.Reader) (*source, error) {
	a, err := readStructure(r)
	if err != nil {
		return nil, err
	}
	t := newTally(ctx, a)
	if err := r.MessageViews(t.message); err != nil {
		return nil, err
	}
	t.end()
	return a, nil
}

// tally is the pre-pass's work on the messages: it verifies (with the
// reader) every message part's checksum and finds dangling references
// before anything is written. It reads views of the messages (no
// allocation per message) and does its per-room work once per run of a
// room's messages. An import that writes while it reads does it in the
// writer's own read of the messages (overlap.go).
type tally struct {
	ctx          context.Context
	a            *source
	rooms        map[string]bool // described in rooms.jsonl
	finished     map[string]bool
	current      string // room of the last message
	known        bool   // whether current is described in rooms.jsonl
	inRoom       int64  // messages of current so far
	unknownRooms map[string]int64
	n            int
}

func newTally(ctx context.Context, a *source) *tally {
	t := &tally{ctx: ctx, a: a, rooms: map[string]bool{}, finished: map[string]bool{}, unknownRooms: map[string]int64{}}
	for _, x := range a.rooms {
		t.rooms[x.GUID] = true
	}
	return t
}

func (t *tally) endRoom() {
	if t.current == "" {
		return
	}
	t.finished[t.current] = true
	t.a.roomMessages[t.current] += t.inRoom
	if !t.known {
		t.unknownRooms[t.current] += t.inRoom
	}
}

// message takes the next message.
func (t *tally) message(m *archive.MessageView) error {
	a := t.a
	if t.n++; t.n%ctxEvery == 1 {
		if err := t.ctx.Err(); err != nil {
			return err
		}
	}
	if string(m.Room) != t.current {
		if t.finished[string(m.Room)] {
			return fmt.Errorf("archive messages of room %s are not contiguous", m.Room)
		}
		t.endRoom()
		t.current, t.known, t.inRoom = string(m.Room), t.rooms[string(m.Room)], 0
		a.streamPos[t.current] = len(a.streamPos)
	}
	t.inRoom++
	a.checkMessageDate(t.current, m.ChatID, m.Date)
	a.text.add(t.current, m)
	if k, ok := a.prinIdx[string(m.User)]; ok {
		a.posted[k]++
	} else {
		a.unknownPosters[string(m.User)]++
	}
	return nil
}

// end ends the tally once every message was read.
func (t *tally) end() {
	t.endRoom()
	for g, n := range t.unknownRooms {
		t.a.problems = append(t.a.problems, Problem{Severity: Error, Object: "room " + g,
			Message: fmt.Sprintf("%s to a room the archive does not describe", numtext.Count(n, "message belongs", "messages belong"))})
	}
	t.a.checkDates()
}

// intern makes the principal GUIDs of role and scope lists the principals'
// own strings, so that the copies decoded from each room's record are
// garbage at once: 200,000 role entries of a 20,000-room pool were 10 MB
// of live heap through the whole import. GUIDs of no principal are kept.
func (a *source) intern(lists ...[]string) {
	for _, l := range lists {
		for i, g := range l {
			l[i] = a.internOne(g)
		}
	}
}

func (a *source) internOne(g string) string {
	if k, ok := a.prinIdx[g]; ok {
		return a.prins[k].GUID
	}
	return g
}

// target is the target pool's current state.
type target struct {
	db     *store.Store // for its column checks (text.go)
	poolID string
	root   string // the root node's GUID
	prins  []pchat.Principal
	byGUID map[string]int32
	guidOf map[int32]string
	uriOf  map[int32]string
	state  map[int32]pchat.PrincipalState
	cats   []pchat.Category
	rooms  []pchat.Room
	addins []pchat.Addin
	aff    map[int32][]int32
	// The target's collation rules: two names are one name to the database
	// exactly when their keys are equal.
	nameKey, addinKey, uriKey func(string) string
}

func readTarget(ctx context.Context, s *store.Store) (*target, error) {
	t := &target{byGUID: map[string]int32{}, guidOf: map[int32]string{}, uriOf: map[int32]string{}, state: map[int32]pchat.PrincipalState{},
		nameKey: s.NameKey, addinKey: s.AddinKey, uriKey: s.URIKey}
	t.db = s
	var err error
	if t.poolID, err = s.PoolID(ctx); err != nil {
		return nil, err
	}
	if t.root, err = s.RootGUID(ctx); err != nil {
		return nil, err
	}
	if t.prins, err = s.Principals(ctx); err != nil {
		return nil, err
	}
	for _, p := range t.prins {
		t.byGUID[p.GUID] = p.ID
		t.guidOf[p.ID] = p.GUID
		t.uriOf[p.ID] = p.URI
		t.state[p.ID] = p.State
	}
	if t.cats, err = s.Categories(ctx); err != nil {
		return nil, err
	}
	if t.rooms, err = s.Rooms(ctx); err != nil {
		return nil, err
	}
	if t.addins, err = s.Addins(ctx); err != nil {
		return nil, err
	}
	if t.aff, err = s.Affiliations(ctx); err != nil {
		return nil, err
	}
	return t, nil
}
