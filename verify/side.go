package verify

import (
	"context"
	"strings"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// side is what one pool holds, read once: principals' URIs, categories,
// rooms, add-ins and per-room message figures.
type side struct {
	store      *store.Store
	uris       *uris            // shared by every side of a comparison
	uri        map[int32]string // prinID -> URI as compared (uris.of)
	cats       []pchat.Category
	catByID    map[int32]*pchat.Category
	catByGUID  map[string]*pchat.Category
	catByName  map[string]*pchat.Category // by the database's name key
	rooms      []pchat.Room
	roomByID   map[int32]*pchat.Room
	roomByGUID map[string]*pchat.Room
	roomByName map[string]*pchat.Room
	addinName  map[string]string // siopID -> name
	addinURL   map[string]string // siopID -> URL
	stats      map[int32]store.RoomStats
	// aff and idOf are read when first needed (within.go): the
	// principals' affiliations, and prinIDs by compared URI.
	aff  map[int32][]int32
	idOf map[string]int32
	// prinByGUID and prinByKey (the first principal of each URI key, as
	// the import takes it) find the target's principal a source's was
	// matched with (target side only).
	prinByGUID map[string]int32
	prinByKey  map[string]int32
	// active are the target's active principals (target side only).
	active map[int32]bool
}

// uris gives each principal URI the spelling the comparison uses: the
// first one seen of those the target's database finds equal (uriKey: its
// prinUri collation, Store.URIKey, by which the import matched
// principals). URIs equal to the database compare equal (case on a
// case-insensitive database, trailing spaces); URIs it tells apart (case
// on a case-sensitive one) stay apart.
type uris struct {
	key   func(string) string
	first map[string]string // key -> first spelling
}

func newURIs(key func(string) string) *uris {
	return &uris{key: key, first: map[string]string{}}
}

func (u *uris) of(uri string) string {
	k := u.key(uri)
	if f, ok := u.first[k]; ok {
		return f
	}
	u.first[k] = uri
	return uri
}

// all spells each of l.
func (u *uris) all(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = u.of(s)
	}
	return out
}

// loadSide reads a pool; since limits the message figures as an export's
// start date does. u spells its principals' URIs. t is the target's side,
// read first (nil when s is the target): a source's principals are
// spelled as the target's principals they were matched with (spell).
func loadSide(ctx context.Context, s *store.Store, since int64, u *uris, t *side) (*side, error) {
	sd := &side{store: s, uris: u, uri: map[int32]string{}, catByID: map[int32]*pchat.Category{}, catByGUID: map[string]*pchat.Category{},
		catByName: map[string]*pchat.Category{}, roomByID: map[int32]*pchat.Room{}, roomByGUID: map[string]*pchat.Room{},
		roomByName: map[string]*pchat.Room{}, addinName: map[string]string{}, addinURL: map[string]string{}}
	prins, err := s.Principals(ctx)
	if err != nil {
		return nil, err
	}
	sd.spell(prins, t)
	if sd.cats, err = s.Categories(ctx); err != nil {
		return nil, err
	}
	for i := range sd.cats {
		c := &sd.cats[i]
		sd.catByID[c.ID], sd.catByGUID[c.GUID], sd.catByName[s.NameKey(c.Name)] = c, c, c
	}
	if sd.rooms, err = s.Rooms(ctx); err != nil {
		return nil, err
	}
	for i := range sd.rooms {
		r := &sd.rooms[i]
		sd.roomByID[r.ID], sd.roomByGUID[r.GUID], sd.roomByName[s.NameKey(r.Name)] = r, r, r
	}
	addins, err := s.Addins(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range addins {
		sd.addinName[strings.ToLower(a.ID)] = a.Name
		sd.addinURL[strings.ToLower(a.ID)] = a.URL
	}
	if sd.stats, err = s.MessageStats(ctx, since); err != nil {
		return nil, err
	}
	return sd, nil
}

// spell gives each principal the spelling it is compared by: its URI
// (uris.of), which names it in differences. Principals are matched as the
// import matches them: by GUID (the AD objectGUID), else by URI
// (importer/plan.go). The import never credits one AD object's roles or
// history to another: where the target holds several principals of one
// URI (an address that a disabled or deleted user held now belongs to
// someone else, and the import brought the old user as a principal of its
// own), each is spelled "URI (GUID g)", and a source principal is spelled
// as the target principal of its GUID, else, when both are active, as the
// first target principal of its URI (the one the import matched it with by
// URI), else by its URI, with its GUID where the target holds a principal
// of that URI (a disabled or deleted user is never matched by URI: the
// target's principal of its address is someone else).
// So a message or role of one of them credited to another is a
// difference, while the same person under another GUID and one URI (the
// import matched them by URI) is not.
func (sd *side) spell(prins []pchat.Principal, t *side) {
	u := sd.uris
	if t == nil {
		n := make(map[string]int, len(prins))
		sd.prinByGUID, sd.prinByKey = make(map[string]int32, len(prins)), make(map[string]int32, len(prins))
		sd.active = make(map[int32]bool, len(prins))
		for _, p := range prins {
			k := u.key(p.URI)
			n[k]++
			sd.prinByGUID[strings.ToLower(p.GUID)] = p.ID
			sd.active[p.ID] = p.State == pchat.Active
			if _, dup := sd.prinByKey[k]; !dup {
				sd.prinByKey[k] = p.ID
			}
		}
		for _, p := range prins {
			sd.uri[p.ID] = u.of(p.URI)
			if n[u.key(p.URI)] > 1 {
				sd.uri[p.ID] += " (GUID " + strings.ToLower(p.GUID) + ")"
			}
		}
		return
	}
	for _, p := range prins {
		id, ok := t.prinByGUID[strings.ToLower(p.GUID)]
		if !ok {
			// By URI only between active principals, as the import
			// matches: a disabled or deleted user's address may since be
			// someone else's.
			id, ok = t.prinByKey[u.key(p.URI)]
			if ok && (p.State != pchat.Active || !t.active[id]) {
				sd.uri[p.ID] = u.of(p.URI) + " (GUID " + strings.ToLower(p.GUID) + ")"
				continue
			}
		}
		if ok {
			sd.uri[p.ID] = t.uri[id]
			continue
		}
		sd.uri[p.ID] = u.of(p.URI)
	}
}

// who is a principal's URI as compared ("prinID N" for an unknown one,
// which then cannot match anything on the other side).
func (sd *side) who(id int32) string {
	if u, ok := sd.uri[id]; ok {
		return u
	}
	return "prinID " + itoa(int64(id))
}

// addin names a room's add-in ("" for none).
func (sd *side) addin(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := sd.addinName[strings.ToLower(id)]; ok {
		return n
	}
	return id
}
