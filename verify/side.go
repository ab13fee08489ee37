package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/internal/prinmatch"
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
	catParent  map[int32]int32   // category -> parent node (target side only)
	addinName  map[string]string // siopID -> name
	addinURL   map[string]string // siopID -> URL
	stats      map[int32]store.RoomStats
	// aff and idOf are read when first needed (within.go): the
	// principals' affiliations, and prinIDs by compared URI.
	aff  map[int32][]int32
	idOf map[string]int32
	// match is the target's principals indexed by the rule the import
	// matched principals by (internal/prinmatch), and keys the number of
	// its principals of each URI key (target side only).
	match *prinmatch.Target
	keys  map[string]int
	// toSystem are the principals (of the archive, or of the source
	// without one: ofArchive) the rule credits to the target's system
	// user, as "URI (GUID g)" (source side only).
	toSystem   []string
	toSystemAD []string // those of toSystem with an AD path or user principal name
	ofArchive  bool
	// nulls are the categories whose invite, filePost or logged is
	// NULL, read when first needed (source side only: nullNote).
	nulls     map[int32]store.NodeSettings
	nullsRead bool
	// addr are the principals' URIs as the pool holds them (target side
	// only), readdressed the source's principals the target holds by
	// GUID under another address (source side only).
	addr        map[int32]string
	kind        map[int32]pchat.PrincipalType // target side only
	readdressed []readdress
	// absent are the archive's principals the rule matches with none of
	// the target's, as "URI (GUID g)" (source side only, with an
	// archive): the import creates each, so the target lacks them.
	absent []string
}

// readdress is a source principal the target holds by its GUID under
// another address: neither the source's nor the archive's.
type readdress struct {
	uri, guid, target string
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
// spelled as the target's principals they were matched with (spell), by
// the archive's principals arc (nil: the source's own).
func loadSide(ctx context.Context, s *store.Store, since int64, u *uris, t *side, arc []prinmatch.Principal) (*side, error) {
	sd := &side{store: s, uris: u, uri: map[int32]string{}, catByID: map[int32]*pchat.Category{}, catByGUID: map[string]*pchat.Category{},
		catByName: map[string]*pchat.Category{}, roomByID: map[int32]*pchat.Room{}, roomByGUID: map[string]*pchat.Room{},
		roomByName: map[string]*pchat.Room{}, addinName: map[string]string{}, addinURL: map[string]string{}}
	prins, err := s.Principals(ctx)
	if err != nil {
		return nil, err
	}
	if t == nil {
		sd.spellTarget(prins)
	} else {
		sd.spell(prins, t, arc)
	}
	if sd.cats, err = s.Categories(ctx); err != nil {
		return nil, err
	}
	for i := range sd.cats {
		c := &sd.cats[i]
		sd.catByID[c.ID], sd.catByGUID[c.GUID], sd.catByName[s.NameKey(c.Name)] = c, c, c
	}
	if t == nil {
		if sd.catParent, err = s.CategoryParents(ctx); err != nil {
			return nil, err
		}
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
	if sd.stats, err = s.MessageCounts(ctx, since); err != nil {
		return nil, err
	}
	return sd, nil
}

// spellTarget gives each of the target's principals the spelling it is
// compared by and names it by in differences: its URI (uris.of), and where
// the target holds several principals of one URI (an address that a
// disabled or deleted user held now belongs to someone else, and the
// import brought the old user as a principal of its own) "URI (GUID g)",
// so that one AD object's roles or history credited to another is a
// difference.
func (sd *side) spellTarget(prins []pchat.Principal) {
	u := sd.uris
	sd.match = prinmatch.NewTarget(prins, u.key)
	sd.keys = make(map[string]int, len(prins))
	sd.addr = make(map[int32]string, len(prins))
	sd.kind = make(map[int32]pchat.PrincipalType, len(prins))
	for _, p := range prins {
		sd.keys[u.key(p.URI)]++
		sd.addr[p.ID] = p.URI
		sd.kind[p.ID] = p.Type
	}
	for _, p := range prins {
		sd.uri[p.ID] = u.of(p.URI)
		if sd.keys[u.key(p.URI)] > 1 {
			sd.uri[p.ID] += " (GUID " + p.GUID + ")"
		}
	}
}

// spell gives each of a source's principals the spelling of the target's
// principal the import matched it with, by the one rule the import
// matches by (internal/prinmatch: by GUID, else an active one by URI with
// the one active target principal of that address, when it is the
// archive's only active principal of the address and that target
// principal is no archive principal's by GUID, else a system user as the
// target's system user). The rule is applied to arc, the archive's
// principals, as the import applied it; without the archive, to the
// source's principals as they are now (an export takes every principal of
// the pool), which judge alike unless the source's principals changed
// since the export. Applied to the target after the import, it gives what
// it gave the import before: the principals the import created hold their
// archive GUID, and those of an address it matched by URI are disabled or
// deleted, no candidates.
//
// A source principal the rule matches with none (the import creates it
// under its own GUID) and that the target lacks is spelled by its URI,
// with its GUID where the target holds a principal of that URI: that
// principal is someone else, and the source principal's roles or history
// credited to it are a difference. A source principal not in the archive
// (provisioned after the export, which the import never saw) is the
// target's principal of its GUID, or none.
func (sd *side) spell(prins []pchat.Principal, t *side, arc []prinmatch.Principal) {
	u := sd.uris
	sd.ofArchive = arc != nil
	if arc == nil {
		arc = make([]prinmatch.Principal, len(prins))
		for i, p := range prins {
			arc[i] = prinmatch.Of(p)
		}
	}
	matched := make(map[string]prinmatch.Match, len(arc))
	arcURI := make(map[string]string, len(arc))
	for i, m := range t.match.Match(arc) {
		matched[arc[i].GUID] = m
		arcURI[arc[i].GUID] = arc[i].URI
		if m.How == prinmatch.None && sd.ofArchive {
			// The import created it under its GUID: were it in the
			// target, the rule would match it by GUID.
			sd.absent = append(sd.absent, arc[i].URI+" (GUID "+arc[i].GUID+")")
		}
		if m.ID == pchat.SystemUserID {
			sd.toSystem = append(sd.toSystem, arc[i].URI+" (GUID "+arc[i].GUID+")")
			if arc[i].AD {
				sd.toSystemAD = append(sd.toSystemAD, arc[i].URI)
			}
		}
	}
	for _, p := range prins {
		m, ok := matched[p.GUID]
		if !ok {
			if id, ok := t.match.ByGUID(p.GUID); ok {
				m = prinmatch.Match{ID: id, How: prinmatch.ByGUID}
			}
		}
		switch {
		case m.How != prinmatch.None:
			sd.uri[p.ID] = t.who(m.ID)
			// Matched by GUID: the same AD object. Under an address that
			// is neither the source's nor the archive's (which AD Sync
			// would have changed in the source too), its roles and
			// messages are held in the target under someone else's
			// address.
			if ta, ok := t.addr[m.ID]; ok && m.How == prinmatch.ByGUID && m.ID != pchat.SystemUserID && u.key(ta) != u.key(p.URI) {
				if au, ok := arcURI[p.GUID]; !ok || u.key(au) != u.key(ta) {
					sd.readdressed = append(sd.readdressed, readdress{uri: p.URI, guid: p.GUID, target: ta})
				}
			}
		case t.keys[u.key(p.URI)] > 0:
			sd.uri[p.ID] = u.of(p.URI) + " (GUID " + p.GUID + ")"
		default:
			sd.uri[p.ID] = u.of(p.URI)
		}
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

// whereCategory says where a target category is when its parent is not
// the root ("" when it is): inside a category or a room, without a
// parent, or inside a node that does not exist.
func (sd *side) whereCategory(id int32) string {
	p, ok := sd.catParent[id]
	switch {
	case !ok || p == sd.store.RootID():
		return ""
	case p == 0:
		return "without a parent node"
	}
	if c, ok := sd.catByID[p]; ok {
		return fmt.Sprintf("inside category %q", c.Name)
	}
	if r, ok := sd.roomByID[p]; ok {
		return fmt.Sprintf("inside room %q", r.Name)
	}
	return fmt.Sprintf("inside node %d, which does not exist", p)
}
