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

func readParts(ctx context.Context, r *archive.Reader) (*source, error) {
	a, err := readStructure(r)
	if err != nil {
		return nil, err
	}
	rooms := map[string]bool{}
	for _, x := range a.rooms {
		rooms[x.GUID] = true
	}
	// The pre-pass verifies every message part's checksum and finds
	// dangling references before anything is written. It reads views of
	// the messages (no allocation per message) and does its per-room work
	// once per run of a room's messages.
	finished := map[string]bool{}
	current := ""    // room of the last message
	var known bool   // whether current is described in rooms.jsonl
	var inRoom int64 // messages of current so far
	unknownRooms := map[string]int64{}
	endRoom := func() {
		if current == "" {
			return
		}
		finished[current] = true
		a.roomMessages[current] += inRoom
		if !known {
			unknownRooms[current] += inRoom
		}
	}
	var n int
	err = r.MessageViews(func(m *archive.MessageView) error {
		if n++; n%ctxEvery == 1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if string(m.Room) != current {
			if finished[string(m.Room)] {
				return fmt.Errorf("archive messages of room %s are not contiguous", m.Room)
			}
			endRoom()
			current, known, inRoom = string(m.Room), rooms[string(m.Room)], 0
			a.streamPos[current] = len(a.streamPos)
		}
		inRoom++
		a.checkMessageDate(current, m.ChatID, m.Date)
		a.text.add(current, m)
		if k, ok := a.prinIdx[string(m.User)]; ok {
			a.posted[k]++
		} else {
			a.unknownPosters[string(m.User)]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	endRoom()
	for g, n := range unknownRooms {
		a.problems = append(a.problems, Problem{Severity: Error, Object: "room " + g,
			Message: fmt.Sprintf("%s to a room the archive does not describe", numtext.Count(n, "message belongs", "messages belong"))})
	}
	a.checkDates()
	return a, nil
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
