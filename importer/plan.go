package importer

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/internal/prinmatch"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

// Actions a plan gives an object.
const (
	ActCreate = "create" // new in the target
	ActMerge  = "merge"  // same name in the target: kept, archive's additions added
	ActSkip   = "skip"   // left out by the conflict policy
	ActRename = "rename" // created under a new name
	ActExists = "exists" // imported by an earlier run of this archive (same GUID)
)

type plan struct {
	a    *source
	t    *target
	opts Options

	prinTarget  map[string]int32    // archive principal GUID -> target prinID (0: to create)
	prinCreate  []int               // indexes into a.prins
	affAdd      []affPlan           // affiliations this import writes (planAffiliations)
	affOf       map[string][]string // affAdd by principal GUID
	addinTarget map[string]string   // lower-case add-in name -> target siopID ("" until created)
	addinCreate []archive.Addin
	cats        []*catPlan
	catByName   map[string]*catPlan // lower-case archive name
	rooms       []*roomPlan
	roomByGUID  map[string]*roomPlan
	problems    []Problem
	conflicts   []Conflict
	inactive    map[string][]string // disabled or deleted principal GUID -> objects naming it
	// overlap is the confirmation of an import that writes under a store
	// hold while it reads its archive (overlap.go); nil otherwise.
	overlap *overlap
	// tally, when not nil, is given every message the writes' read
	// passes (overlap.go: an import that reads its messages once).
	tally *tally
}

type catPlan struct {
	arc                                archive.Category
	action                             string
	name                               string // in the target
	targetID                           int32
	inTarget                           bool            // the target's category (merged, or imported earlier)
	allowed                            map[string]bool // effective lists after the import, by target GUID
	denied                             map[string]bool
	addAllowed, addDenied, addCreators []string
}

type roomPlan struct {
	arc                                    *archive.Room // in source.rooms
	action                                 string
	name                                   string
	targetID                               int32
	cat                                    *catPlan
	addMembers, addManagers, addPresenters []string
	messages                               int64 // in the archive
	done                                   int64 // in the target: updated as batches commit
	skip                                   int64 // in the target before this run: fixed once writing starts
	// present marks the archive's messages that the target room held
	// before this run, found by comparing every message (exact.go); nil
	// when the journal says how far the room got (skip), or none was
	// there.
	present *presence
	// hasRun says that the room holds all the archive's messages on
	// consecutive chat IDs (exact.go), after chat ID runBase.
	hasRun  bool
	runBase int64
}

// makePlan plans the import; j is its journal (nil without one), which
// names the principals an earlier run of it created.
func makePlan(a *source, t *target, opts Options, j *journal) *plan {
	p := &plan{a: a, t: t, opts: opts, prinTarget: map[string]int32{}, addinTarget: map[string]string{},
		catByName: map[string]*catPlan{}, roomByGUID: map[string]*roomPlan{}}
	p.problems = append(p.problems, a.problems...)
	p.planPrincipals()
	checkURIs(p.a.prins, p.problem)
	p.reportSystemUsers()
	p.planAffiliations(j) // before the roles: they are bounded by the memberships after the import
	p.planAddins()
	p.planCategories()
	checkScope(p.a.manifest, p.a.cats, p.problem)
	p.planRooms()
	p.checkMessageText()
	p.checkPosters()
	p.checkUnfilled()
	p.reportInactive()
	sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Severity < p.problems[j].Severity })
	return p
}

// tallied are the problems a plan finds of what a source's pre-pass
// tallies of the messages (who posted how many: reportSystemUsers,
// checkPosters; their text: checkMessageText), in makePlan's order, for a
// plan of source a with p's other findings. An overlapped import's plan
// of the claims, before the pre-pass, finds them of no message; the
// pre-pass confirms it when a's are the same (overlap.same). The rest of
// the plan depends on none of what is tallied.
func (p *plan) tallied(a *source) [][]Problem {
	var out [][]Problem
	for _, check := range []func(*plan){(*plan).reportSystemUsers, (*plan).checkMessageText, (*plan).checkPosters} {
		q := *p
		q.a, q.problems = a, nil
		check(&q)
		out = append(out, q.problems)
	}
	return out
}

// problem records a problem. A name far longer than any column (the
// format allows a record of 64 MiB) is shortened in the object, and
// callers shorten the archive's names they pass as arguments: a
// megabyte's category name was a megabyte's console line.
func (p *plan) problem(sev, object, format string, args ...any) {
	p.problems = append(p.problems, newProblem(sev, object, format, args...))
}

// newProblem is a Problem with its object shortened for a console.
func newProblem(sev, object, format string, args ...any) Problem {
	if kind, name, ok := strings.Cut(object, " "); ok && !strings.Contains(kind, `"`) {
		object = kind + " " + textwidth.Shorten(name) // "category NAME"
	} else {
		object = textwidth.Shorten(object)
	}
	return Problem{Severity: sev, Object: object, Message: fmt.Sprintf(format, args...)}
}

// kinded gives the last problem a kind (one of the Kind constants).
func (p *plan) kinded(kind string) {
	p.problems[len(p.problems)-1].Kind = kind
}

// planPrincipals matches each archive principal with the target's by the
// rule the proof of migration expects (internal/prinmatch): by GUID (the
// AD objectGUID), else an active one by URI with the one active target
// principal of that address, when it is the archive's only active
// principal of the address and that target principal is no archive
// principal's by GUID, else a system user with the target's system user.
// The others are created (in the archive's state). So no one's history or
// roles are credited to another, and a rerun matches the same principals:
// those it created hold their GUID, and those of an address matched by
// URI are disabled or deleted, no candidates.
func (p *plan) planPrincipals() {
	arc := make([]prinmatch.Principal, len(p.a.prins))
	for i, ap := range p.a.prins {
		arc[i] = prinmatch.OfArchive(ap)
	}
	for i, m := range prinmatch.NewTarget(p.t.prins, p.t.uriKey).Match(arc) {
		ap := p.a.prins[i]
		p.prinTarget[ap.GUID] = m.ID
		if m.How == prinmatch.None {
			p.prinCreate = append(p.prinCreate, i)
			p.checkPrincipalText(ap)
		}
	}
}

// affPlan is the affiliations one principal lacks in the target.
type affPlan struct {
	guid string
	of   []string
}

// planAffiliations finds the archive's affiliations missing from the
// principals this import creates, from those an earlier, interrupted run
// of it created (which the journal lists), and from the principals the
// target has under the same GUID: the same AD object, whose memberships
// the source pool's AD Sync recorded. Without them, a user the target
// pool had cached before the migration, and whose groups it had not (a
// group the import creates), would lose every role the archive gives it
// through those groups (allowedIn decides by the memberships after the
// import). Only missing rows are added; none is removed. A principal
// matched by address is another AD object: the archive's memberships are
// not its own, and it keeps the target's.
func (p *plan) planAffiliations(j *journal) {
	created := map[string]bool{}
	for _, i := range p.prinCreate {
		created[p.a.prins[i].GUID] = true
	}
	for _, g := range j.created() {
		created[g] = true
	}
	for _, ap := range p.a.prins {
		_, sameObject := p.t.byGUID[ap.GUID]
		if !created[ap.GUID] && !sameObject {
			continue
		}
		have := map[int32]bool{} // the target's memberships of it, by prinID
		for _, a := range p.t.aff[p.prinTarget[ap.GUID]] {
			have[a] = true
		}
		var add []string
		for _, g := range ap.Affiliations {
			if !p.known(g) || have[p.targetID(g)] {
				continue
			}
			add = append(add, g)
		}
		if len(add) > 0 {
			p.affAdd = append(p.affAdd, affPlan{guid: ap.GUID, of: add})
			if p.affOf == nil {
				p.affOf = map[string][]string{}
			}
			p.affOf[ap.GUID] = add
		}
	}
}

// known reports whether a GUID names a principal of the archive or target.
func (p *plan) known(guid string) bool {
	if _, ok := p.prinTarget[guid]; ok {
		return true
	}
	_, ok := p.t.byGUID[guid]
	return ok
}

// label names a principal for people: its URI when known.
func (p *plan) label(guid string) string {
	if i, ok := p.a.prinIdx[guid]; ok {
		return p.a.prins[i].URI
	}
	if id, ok := p.t.byGUID[guid]; ok {
		if uri, ok := p.t.uriOf[id]; ok {
			return uri
		}
	}
	return guid
}

func (p *plan) planAddins() {
	for _, x := range p.t.addins {
		p.addinTarget[p.t.addinKey(x.Name)] = x.ID
	}
	seen := map[string]string{}
	for _, x := range p.a.addins {
		if first, dup := seen[p.t.addinKey(x.Name)]; dup {
			p.problem(Error, fmt.Sprintf("add-in %q", textwidth.Shorten(x.Name)), "add-in %q and add-in %q: the target holds them as one name, and add-in names are unique in a pool", textwidth.Shorten(first), textwidth.Shorten(x.Name))
			continue
		}
		seen[p.t.addinKey(x.Name)] = x.Name
		checkName("add-in", x.Name, p.problem)
		if err := p.t.db.CheckAddin(pchat.Addin{Name: x.Name, URL: x.URL}); err != nil {
			p.problem(Error, "add-in "+x.Name, "%v", err)
			continue
		}
		key := p.t.addinKey(x.Name)
		if _, ok := p.addinTarget[key]; ok {
			for _, tx := range p.t.addins {
				if p.t.addinKey(tx.Name) == key && tx.URL != x.URL {
					p.conflict("add-in", x.Name, "kept the target's add-in", fmt.Sprintf("target URL %s, archive URL %s", tx.URL, x.URL))
				}
			}
			continue
		}
		p.addinTarget[key] = ""
		p.addinCreate = append(p.addinCreate, x)
	}
}

func (p *plan) conflict(kind, name, resolution, detail string) {
	p.conflicts = append(p.conflicts, Conflict{Kind: kind, Name: name, Resolution: resolution, Detail: detail})
	if p.opts.OnConflict == Fail {
		p.problem(Error, kind+" "+name, "already exists in the target (--on-conflict fail)")
	}
}

// index maps the target's objects by GUID and by name key.
func index[T any](p *plan, objs []T, keys func(*T) (guid, name string)) (byGUID, byName map[string]*T) {
	byGUID, byName = make(map[string]*T, len(objs)), make(map[string]*T, len(objs))
	for i := range objs {
		guid, name := keys(&objs[i])
		byGUID[guid], byName[p.t.nameKey(name)] = &objs[i], &objs[i]
	}
	return byGUID, byName
}

// match finds the target object an archive object meets: the one with its
// GUID (an earlier import of this archive), else the one with its name,
// with the conflict policy applied. existing is nil when there is none or
// when the policy creates a new object (rename); target is the name the
// object has in the target. own holds the name keys of the archive's
// objects of the kind and of the new names renames gave them: a new name
// is free in the target and among them (the archive's "Sales (imported)"
// and its "Sales" renamed were both created as "Sales (imported)").
func match[T any](p *plan, kind, guid, name string, byGUID, byName map[string]*T, own map[string]bool, skipped, merged string) (existing *T, action, target string) {
	if x, ok := byGUID[guid]; ok {
		return x, ActExists, name
	}
	x, ok := byName[p.t.nameKey(name)]
	if !ok {
		return nil, ActCreate, name
	}
	taken := func(n string) bool { _, ok := byName[p.t.nameKey(n)]; return ok || own[p.t.nameKey(n)] }
	action, target = p.resolve(kind, name, taken, skipped, merged)
	if action == ActRename {
		own[p.t.nameKey(target)] = true
		return nil, action, target
	}
	return x, action, target
}

// nameKeys returns the name keys of names.
func nameKeys[T any](p *plan, objs []T, name func(*T) string) map[string]bool {
	keys := make(map[string]bool, len(objs))
	for i := range objs {
		keys[p.t.nameKey(name(&objs[i]))] = true
	}
	return keys
}

// freeName finds an unused name for a renamed object.
func freeName(base, suffix string, taken func(string) bool) string {
	name := base + suffix
	for i := 2; taken(name); i++ {
		name = fmt.Sprintf("%s%s %d", base, suffix, i)
	}
	return name
}

func (p *plan) planCategories() {
	tByGUID, tByName := index(p, p.t.cats, func(c *pchat.Category) (string, string) { return c.GUID, c.Name })
	own := nameKeys(p, p.a.cats, func(c *archive.Category) string { return c.Name })
	for _, ac := range p.a.cats {
		cp := &catPlan{arc: ac, name: ac.Name}
		if first, dup := p.catByName[p.t.nameKey(ac.Name)]; dup {
			p.problem(Error, fmt.Sprintf("category %q", textwidth.Shorten(ac.Name)), "category %q and category %q: the target holds them as one name, and category names are unique in a pool", textwidth.Shorten(first.arc.Name), textwidth.Shorten(ac.Name))
			continue
		}
		p.cats = append(p.cats, cp)
		p.catByName[p.t.nameKey(ac.Name)] = cp
		checkName("category", ac.Name, p.problem)
		if err := p.t.db.CheckNode(ac.Name, ac.Description); err != nil {
			p.problem(Error, "category "+ac.Name, "%v", err)
		}
		p.checkRefs("category "+ac.Name, ac.AllowedMembers, ac.DeniedMembers, ac.Creators)
		p.checkBy("category "+ac.Name, ac.AddedBy, ac.UpdatedBy)
		var existing *pchat.Category
		existing, cp.action, cp.name = match(p, "category", ac.GUID, ac.Name, tByGUID, tByName, own,
			"skipped: the target's category and its rooms are left as they are",
			"merged: the target's category is kept and the archive's members and creators are added")
		if cp.action == ActSkip {
			continue
		}
		if existing == nil {
			p.checkNodeGUID("category", ac.Name, ac.GUID)
		}
		if existing != nil {
			cp.targetID, cp.name, cp.inTarget = existing.ID, existing.Name, true
			p.mergeLists(cp, existing)
			cp.addCreators = p.missing(ac.Creators, p.t.guids(existing.Creators), nil)
		} else {
			cp.addAllowed, cp.addDenied, cp.addCreators = ac.AllowedMembers, ac.DeniedMembers, ac.Creators
			cp.allowed, cp.denied = p.targetSet(ac.AllowedMembers), p.targetSet(ac.DeniedMembers)
		}
		cp.addCreators = p.eligible(cp, "category "+ac.Name, "creator", cp.addCreators)
	}
}

// blankFix says how a source pool's category, room or add-in of a name
// of spaces only gets a name (checkName).
var blankFix = map[string]string{
	"category": "name it in the source pool (Set-CsPersistentChatCategory -Name), then export again",
	"room":     "name it in the source pool (Set-CsPersistentChatRoom -Name), then export again",
	"add-in":   "give the add-in a name in the source pool, then export again",
}

// controlFix says how a category, room or add-in whose name holds a
// control character gets a name without (checkName).
var controlFix = map[string]string{
	"category": "Set-CsPersistentChatCategory -Name",
	"room":     "Set-CsPersistentChatRoom -Name",
	"add-in":   "an add-in is renamed by adding it again: New-CsPersistentChatAddin -Name",
}

// checkName refuses a name of spaces only, and warns of one holding a
// control character. The archive's names are not empty (§4), but SQL
// Server compares text ignoring trailing spaces, so to the pool such a
// name is the empty one, which no cmdlet gives. A control character is
// carried as it is (the source pool holds it, and pcmig shows it escaped
// everywhere), but it is not something a person typed (a paste, a
// script's bug): clients show nothing in its place, and SQL Server's
// Windows collations ignore NUL and most other control characters when
// comparing, so to the pool the name may equal one without it.
func checkName(kind, name string, problem problemFunc) {
	if name != "" && strings.TrimRight(name, " ") == "" {
		problem(Error, fmt.Sprintf("%s %q", kind, name), "its name is only spaces, which SQL Server compares as an empty name (it ignores trailing spaces); a %s's name is not empty: %s", kind, blankFix[kind])
	}
	if r, ok := textwidth.FirstControl(name); ok {
		problem(Warning, fmt.Sprintf("%s %q", kind, textwidth.Shorten(name)), "its name holds a control character (%U); imported as it is, but clients show nothing in its place and SQL Server's collations may compare the name as one without it: rename it (%s)", r, controlFix[kind])
	}
}

// problemFunc records a problem (plan.problem), for the checks of the
// archive alone that inspect shares (CheckArchive).
type problemFunc func(sev, object, format string, args ...any)

// checkURIs refuses a principal whose uri holds a control character. A
// SIP (or ma-grp) URI has none (RFC 3261, RFC 3986); the uri is how
// the pool and its clients find the principal (the import matches by it,
// the pool's sign-in looks it up), and SQL Server's Windows collations
// ignore NUL and most other control characters when comparing, so the
// target could take it for the principal of the address without them:
// someone else's identity.
func checkURIs(prins []archive.Principal, problem problemFunc) {
	for _, pr := range prins {
		if r, ok := textwidth.FirstControl(pr.URI); ok {
			problem(Error, fmt.Sprintf("principal %q", textwidth.Shorten(pr.URI)), "its uri holds a control character (%U), which no SIP address has: the pool could take it for the principal of the address without it. Correct the address in Active Directory (msRTCSIP-PrimaryUserAddress), let the pool's user replication update the principal (GUID %s), then export again", r, pr.GUID)
		}
	}
}

// looseCollation compares names more loosely than any SQL Server
// collation pcmig models: case, accents, kana and width ignored.
var looseCollation = store.ParseCollation("Latin1_General_CI_AI")

// looseExpansions also takes the letters some collations expand (ß and
// ss) and Turkish's dotless ı as the same: after looseCollation.Key,
// which folds case to the least rune of each case orbit.
var looseExpansions = strings.NewReplacer("ß", "SS", "Æ", "AE", "Œ", "OE", "ı", "I")

// looseNameKey is the same for two names that some source database's
// collation may find equal (and, rarely, for some it would not).
func looseNameKey(s string) string { return looseExpansions.Replace(looseCollation.Key(s)) }

// checkScope refuses a category that the manifest's scope does not name.
// An export limited to a scope (-Scope, the manifest's scope) holds only
// the named categories, and so only their rooms and messages (§7); the
// scope is how the user spelt the names, matched by the source database's
// collation, which the archive does not record: a name is compared
// loosely (looseNameKey), so that no archive pcmig wrote is refused. A
// category outside the scope is one an archive built or edited by hand
// holds, which a run that routes categories by scope (verify, the
// estate's routes) would not expect in this pool.
func checkScope(m archive.Manifest, cats []archive.Category, problem problemFunc) {
	scope := m.Scope
	if len(scope) == 0 {
		return
	}
	named := make(map[string]bool, len(scope))
	for _, n := range scope {
		named[looseNameKey(n)] = true
	}
	held := make(map[string]bool, len(cats))
	for _, c := range cats {
		held[looseNameKey(c.Name)] = true
		if !named[looseNameKey(c.Name)] {
			problem(Error, "category "+c.Name, "is not among the %s the manifest's scope names (compared ignoring case and accents): an export limited to a scope holds only those categories and their rooms", numtext.Count(len(scope), "category", "categories"))
		}
	}
	// The export refuses a scope name the pool has no category of, and
	// writes every category it names, at each level that holds
	// categories: a name the archive holds no category of is a category
	// lost from categories.jsonl or a manifest edited by hand, and the
	// import would bring less than the scope says (verify, comparing the
	// source's scoped categories, would find it missing only after the
	// import). A name given twice (--scope Sales --scope sales: the
	// manifest keeps the names as given) is one category.
	if m.Level == archive.LevelUser {
		return
	}
	missing := map[string]bool{}
	for _, n := range scope {
		if k := looseNameKey(n); !held[k] && !missing[k] {
			missing[k] = true
			problem(Error, fmt.Sprintf("scope name %q", n), "the manifest's scope names it, but the archive holds no category of that name (compared ignoring case and accents): an export limited to a scope holds every category it names, so categories.jsonl has lost one or the manifest was edited: import the archive as the export wrote it, or export again")
		}
	}
}

// checkRoomCategories refuses a room whose category is none of the
// archive's, compared loosely (looseNameKey): the import finds a room's
// category among the archive's by the target's comparison of names, never
// looser than this one, so every import refuses such a room (planRooms:
// "its category ... is not in the archive"), whatever its target.
func checkRoomCategories(cats []archive.Category, rooms []archive.Room, problem problemFunc) {
	held := make(map[string]bool, len(cats))
	for _, c := range cats {
		held[looseNameKey(c.Name)] = true
	}
	for _, r := range rooms {
		if !held[looseNameKey(r.Category)] {
			problem(Error, "room "+r.Name, "its category %q is not in the archive", textwidth.Shorten(r.Category))
		}
	}
}

// checkNodeGUID refuses a category or room the import would create whose
// GUID is already another kind of node's in the target (the root node, a
// category for a room, a room for a category; a node of its own kind with
// that GUID is the same object, found by match). nodeGuid is unique in
// tblNode, so the store would give the new node a new GUID without a word:
// the uploaded files of a room are kept under paths that hold its GUID and
// tblFileToken.fileTokenChannelID names it, so they would no longer be
// linked, and a later import of the archive would not find the object by
// its GUID. Only a hand-built archive or a target edited by hand meets
// this: a GUID is an object's own.
func (p *plan) checkNodeGUID(kind, name, guid string) {
	var holder string
	switch {
	case guid == p.t.root:
		holder = "the target's root node"
	case kind == "room":
		for i := range p.t.cats {
			if p.t.cats[i].GUID == guid {
				holder = fmt.Sprintf("the target's category %q", textwidth.Shorten(p.t.cats[i].Name))
				break
			}
		}
	default:
		for i := range p.t.rooms {
			if p.t.rooms[i].GUID == guid {
				holder = fmt.Sprintf("the target's room %q", textwidth.Shorten(p.t.rooms[i].Name))
				break
			}
		}
	}
	if holder == "" {
		return
	}
	why := "a later import of this archive would not find it by its GUID"
	if kind == "room" {
		why = "its uploaded files, whose paths and file tokens name the room's GUID, would no longer be linked"
	}
	p.problem(Error, kind+" "+name, "its GUID %s is already that of %s: every node of tblNode has a GUID of its own, so it would be created under a new GUID, and %s", guid, holder, why)
}

// mergeLists plans the allowed and denied entries of an archive category
// going into the target's category existing. A principal is either allowed
// or denied on a node (tblScopePrincipal's key): the target's entry is kept
// where the archive's says the opposite, with a warning, and the archive's
// other entries are added. The lists after the import, the target's and
// those added, are the ones that govern the category's roles (cp.allowed,
// cp.denied): the server evaluates them, and creator.carry_over and verify
// judge by them.
func (p *plan) mergeLists(cp *catPlan, existing *pchat.Category) {
	ac := cp.arc
	tAllowed, tDenied := p.t.guids(existing.AllowedMembers), p.t.guids(existing.DeniedMembers)
	cp.addAllowed = p.missing(ac.AllowedMembers, tAllowed, tDenied)
	cp.addDenied = p.missing(ac.DeniedMembers, tDenied, tAllowed)
	for _, g := range ac.DeniedMembers {
		if tAllowed[p.targetGUID(g)] {
			p.problem(Warning, "category "+ac.Name, "%s is denied in the archive but allowed in the target; the target's entry is kept", p.label(g))
			p.kinded(KindListsDisagree)
		}
	}
	for _, g := range ac.AllowedMembers {
		if tDenied[p.targetGUID(g)] {
			p.problem(Warning, "category "+ac.Name, "%s is allowed in the archive but denied in the target; the target's entry is kept", p.label(g))
			p.kinded(KindListsDisagree)
		}
	}
	cp.allowed, cp.denied = tAllowed, tDenied
	for _, g := range cp.addAllowed {
		cp.allowed[p.targetGUID(g)] = true
	}
	for _, g := range cp.addDenied {
		cp.denied[p.targetGUID(g)] = true
	}
}

// eligible keeps the principals within the category's allowed members minus
// its denied members, and reports the others, which are not granted.
func (p *plan) eligible(cp *catPlan, object, role string, guids []string) []string {
	var out []string
	for _, g := range guids {
		if !p.known(g) {
			continue
		}
		groups := p.memberships(g)
		t := p.targetGUID(g)
		allowed, denied := func(x string) bool { return cp.allowed[x] }, func(x string) bool { return cp.denied[x] }
		if pchat.Within(t, groups, allowed, denied) {
			out = append(out, g)
			continue
		}
		why := p.label(g) + " is a denied member"
		if by, isDenied := pchat.Excluded(t, groups, denied); !isDenied {
			why = "neither " + p.label(g) + " nor a group it belongs to is an allowed member"
		} else if by != t {
			why = p.label(g) + " belongs to " + p.label(by) + ", a denied member"
		}
		if cp.inTarget {
			why += " of the target's category, whose lists govern when the import merges into it"
		}
		p.problem(Warning, object, "%s %s is not within category %q's allowed members minus denied members (%s): not granted", role, p.label(g), cp.name, why)
		p.problems[len(p.problems)-1].Kind = KindNotAllowed
	}
	return out
}

// memberships are the target GUIDs of the groups, containers and domains
// an archive principal belongs to in the target after the import, which
// pchat.Within decides by: the target's affiliations of the principal the
// archive's is matched with, and those this import writes for a principal
// (affAdd: one it creates, or the same AD object the target had). The
// archive's memberships of a principal matched by address are not written,
// and the server does not see them: a role they allowed would be invalid
// in the target.
func (p *plan) memberships(guid string) []string {
	var groups []string
	if id := p.targetID(guid); id != 0 {
		for _, a := range p.t.aff[id] {
			groups = append(groups, p.t.guidOf[a])
		}
	}
	for _, g := range p.affOf[guid] {
		groups = append(groups, p.targetGUID(g))
	}
	return groups
}

// targetID is the target prinID of an archive or target principal's GUID,
// 0 for one this import creates.
func (p *plan) targetID(guid string) int32 {
	if id, ok := p.prinTarget[guid]; ok {
		return id
	}
	return p.t.byGUID[guid]
}

// targetGUID is the GUID a principal has in the target after the import:
// that of the target's principal it is matched with, else its own.
func (p *plan) targetGUID(guid string) string {
	if id := p.targetID(guid); id != 0 {
		return p.t.guidOf[id]
	}
	return guid
}

// targetSet is a set of the principals' GUIDs in the target.
func (p *plan) targetSet(guids []string) map[string]bool {
	out := make(map[string]bool, len(guids))
	for _, g := range guids {
		out[p.targetGUID(g)] = true
	}
	return out
}

func (p *plan) checkRefs(object string, lists ...[]string) {
	for _, l := range lists {
		for _, g := range l {
			if !p.known(g) {
				p.problem(Error, object, "refers to principal %s, which is neither in the archive nor in the target", g)
				p.kinded(KindUnknownPrincipal)
				continue
			}
			if st := p.state(g); st != pchat.Active {
				if p.inactive == nil {
					p.inactive = map[string][]string{}
				}
				if refs := p.inactive[g]; len(refs) == 0 || refs[len(refs)-1] != object {
					p.inactive[g] = append(refs, object)
				}
			}
		}
	}
}

// checkBy refuses an added_by or updated_by that names a principal neither
// in the archive nor in the target ("" is none: the target's system user),
// as checkRefs refuses a role's: crediting the system user in its place
// would rewrite who created or changed the object without a word. An
// inactive principal is not noted: who created a room long ago is often gone.
func (p *plan) checkBy(object, addedBy, updatedBy string) {
	for _, f := range [...]struct{ name, guid string }{{"added_by", addedBy}, {"updated_by", updatedBy}} {
		if f.guid != "" && !p.known(f.guid) {
			p.problem(Error, object, "%s refers to principal %s, which is neither in the archive nor in the target", f.name, f.guid)
			p.kinded(KindUnknownPrincipal)
		}
	}
}

func (p *plan) state(guid string) pchat.PrincipalState {
	if i, ok := p.a.prinIdx[guid]; ok {
		return p.a.prins[i].State
	}
	return p.t.state[p.t.byGUID[guid]]
}

func (t *target) guids(ids []int32) map[string]bool {
	out := map[string]bool{}
	for _, id := range ids {
		out[t.guidOf[id]] = true
	}
	return out
}

// missing lists the archive GUIDs of want whose principals have neither
// an entry in have nor in other, sets of the target's GUIDs (a scope row is
// either allowed or denied, never both); a principal matched with one of
// the target's by address has its entries under the target's GUID.
func (p *plan) missing(want []string, have, other map[string]bool) []string {
	var out []string
	for _, g := range want {
		if t := p.targetGUID(g); !have[t] && !other[t] {
			out = append(out, g)
		}
	}
	return out
}

// checkUnfilled reports the target's columns that pcmig's inserts leave
// out and the server cannot fill (store.UnfilledColumns): every row pcmig
// inserts into their tables would be refused, so the import stops before
// its first write instead of after the structure.
func (p *plan) checkUnfilled() {
	for _, col := range p.t.db.UnfilledColumns() {
		p.problem(Error, "table "+col.Table, "%s; the documented schema has no such column: find out what added it, and let it allow NULL or give it a default before importing", store.Unfilled(col))
	}
}

// checkPosters refuses messages posted by a principal neither the archive
// nor the target has, one error per poster in GUID order (not the map's,
// which changes from run to run), and warns of odd posters.
func (p *plan) checkPosters() {
	for _, g := range slices.Sorted(maps.Keys(p.a.unknownPosters)) {
		if _, ok := p.t.byGUID[g]; !ok {
			p.problem(Error, "messages", "%s posted by %s, which is neither in the archive nor in the target", numtext.Count(p.a.unknownPosters[g], "message was", "messages were"), g)
		}
	}
	p.checkPosterKinds()
}

// posterKind is why a poster is not what posts in Persistent Chat, or "".
// tblChat.userId is any prinID (a foreign key to tblPrincipal, whatever
// its type), but messages come from clients signed in as a user, and a
// user's prinUri is a sip: URI (the scheme's case does not matter); the
// system user is left alone (the server's own principal, whose use is
// undocumented).
func posterKind(typ, uri string) string {
	switch typ {
	case "User":
		if len(uri) < 4 || !strings.EqualFold(uri[:4], "sip:") {
			return "is a user whose URI is not a sip: address: a client posts as its signed-in user's SIP address"
		}
	case "Group", "Folder", "DC":
		return fmt.Sprintf("is a %s, not a user: only users post in Persistent Chat (a client posts as its signed-in SIP user)", typ)
	}
	return ""
}

// checkPosterKinds warns of messages posted by a principal that is not a
// user with a sip: URI, by poster: they are imported as they are (the
// schema allows them), but no client posts as one, so the archive was
// built or edited by hand, or the source pool damaged.
func (p *plan) checkPosterKinds() {
	type odd struct {
		label, kind string
		n           int64
	}
	var odds []odd
	for k, n := range p.a.posted {
		if n == 0 {
			continue
		}
		ap := &p.a.prins[k]
		if kind := posterKind(ap.Type, ap.URI); kind != "" {
			odds = append(odds, odd{p.label(ap.GUID), kind, n})
		}
	}
	for g, n := range p.a.unknownPosters {
		id, ok := p.t.byGUID[g]
		if !ok {
			continue
		}
		for i := range p.t.prins {
			if tp := &p.t.prins[i]; tp.ID == id {
				if kind := posterKind(tp.Type.String(), tp.URI); kind != "" {
					odds = append(odds, odd{p.label(g), kind, n})
				}
				break
			}
		}
	}
	sort.Slice(odds, func(i, j int) bool { return odds[i].label < odds[j].label })
	for _, o := range odds {
		p.problem(Warning, "principal "+o.label, "posted %s but %s; imported as it is", numtext.Count(o.n, "message", "messages"), o.kind)
	}
}

// resolve applies the conflict policy to an archive object whose name the
// target already uses, records the conflict and returns the action and the
// name the object gets in the target.
func (p *plan) resolve(kind, name string, taken func(string) bool, skipped, merged string) (action, target string) {
	switch p.opts.OnConflict {
	case Skip:
		p.conflict(kind, name, skipped, "")
		return ActSkip, name
	case Rename:
		target = freeName(name, p.opts.RenameSuffix, taken)
		if err := p.t.db.CheckText("tblNode", "nodeName", target); err != nil {
			p.problem(Error, kind+" "+name, "the new name %q does not fit: %v", textwidth.Shorten(target), err)
		}
		p.conflict(kind, name, fmt.Sprintf("renamed to %q", target), "")
		return ActRename, target
	}
	p.conflict(kind, name, merged, "")
	return ActMerge, name
}

// reportInactive gives one warning per disabled or deleted principal that
// the archive's lists name, with the objects that name it: they are carried
// over as they are, and AD Sync decides their fate in the target.
func (p *plan) reportInactive() {
	guids := make([]string, 0, len(p.inactive))
	for g := range p.inactive {
		guids = append(guids, g)
	}
	sort.Slice(guids, func(i, j int) bool { return p.label(guids[i]) < p.label(guids[j]) })
	for _, g := range guids {
		st := p.state(g)
		refs := p.inactive[g]
		list := strings.Join(refs, ", ")
		if len(refs) > 5 {
			list = strings.Join(refs[:5], ", ") + fmt.Sprintf(" and %d more", len(refs)-5)
		}
		p.problem(Warning, "principal "+p.label(g), "is %s (prinDisabled %d) and named by %s; imported as it is", st, int16(st), list)
		p.problems[len(p.problems)-1].Kind = KindInactivePrincipal
	}
}
