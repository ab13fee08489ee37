// Package prinmatch is the one rule by which a principal of an archive is
// matched with a target pool's principal. The import applies it
// (importer/plan.go) and the proof of migration expects what it gives
// (verify/side.go), so that the two never judge one principal apart.
//
// An archive principal is matched
//
//  1. with the target's principal of its GUID (tblPrincipal.prinGuid, the
//     AD objectGUID): the same AD object;
//  2. else with the one active target principal of its URI (prinDisabled
//     0; of those whose URI the target's prinUri collation finds equal),
//     when all of these hold: it is active itself (a disabled or deleted
//     user's address may since be someone else's); the target holds no
//     other active principal of that URI (nothing documents prinUri as
//     unique: a user deleted and created again in AD keeps the address
//     under a new GUID, and the target's disabled or deleted principals of
//     it are other AD objects); no other active principal of the archive
//     has that URI (two AD objects of one address are not told apart by
//     it; the archive's disabled or deleted ones of it are former holders,
//     brought under their own GUID); and no principal of the archive has
//     that target principal's GUID (it is that one's);
//  3. else, when it is a system user (tblPrincipalType 4), with the
//     target's system user (prinID 1);
//  4. else with none: the import creates it under its own GUID.
//
// So no one's history or roles are credited to another AD object.
package prinmatch

import (
	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
)

// Principal is a principal as the rule sees it, in an archive or in a
// database.
type Principal struct {
	GUID   string // canonical, lower case (pchat.CanonicalGUID)
	URI    string
	State  pchat.PrincipalState
	System bool // a system user (tblPrincipalType 4)
	// AD is whether it has an AD path or a user principal name, which a
	// system user does not have (prinADPath is NULL for non-AD types):
	// not part of the rule, but a system user with one is worth a word.
	AD bool
}

// Of is a database's principal as the rule sees it.
func Of(p pchat.Principal) Principal {
	return Principal{GUID: p.GUID, URI: p.URI, State: p.State, System: p.Type == pchat.TypeSystemUser, AD: p.ADPath != "" || p.UPN != ""}
}

// OfArchive is an archive's principal as the rule sees it.
func OfArchive(p archive.Principal) Principal {
	return Principal{GUID: p.GUID, URI: p.URI, State: p.State, System: p.Type == archive.PrincipalSystemUser, AD: p.ADPath != "" || p.UPN != ""}
}

// How says by which step of the rule a principal was matched.
type How int8

// Steps of the rule.
const (
	None   How = iota // not matched: the import creates it under its own GUID
	ByGUID            // the target's principal of its GUID
	ByURI             // the target's principal of its URI
	System            // the target's system user
)

// Match is the target principal an archive principal is matched with (ID
// 0 when How is None).
type Match struct {
	ID  int32
	How How
}

// Target is a target pool's principals, indexed for the rule.
type Target struct {
	key     func(string) string
	byGUID  map[string]int32
	byKey   map[string]int32 // an active principal of each URI key
	actives map[string]int   // the number of active principals of each URI key
}

// NewTarget indexes a target pool's principals; key is its prinUri
// collation's key (store.URIKey): two URIs are one address exactly when
// their keys are equal.
func NewTarget(prins []pchat.Principal, key func(string) string) *Target {
	t := &Target{key: key, byGUID: make(map[string]int32, len(prins)), byKey: make(map[string]int32, len(prins)),
		actives: make(map[string]int, len(prins))}
	for _, p := range prins {
		t.byGUID[p.GUID] = p.ID
		if p.State == pchat.Active {
			k := key(p.URI)
			t.byKey[k] = p.ID
			t.actives[k]++
		}
	}
	return t
}

// ByGUID is the target's principal of a GUID.
func (t *Target) ByGUID(guid string) (int32, bool) {
	id, ok := t.byGUID[guid]
	return id, ok
}

// Match matches each of an archive's principals (all of them: whether an
// address is the archive's only one depends on the others) with the
// target's, by the rule of the package comment; out[i] is arc[i]'s.
func (t *Target) Match(arc []Principal) []Match {
	uris := make(map[string]int, len(arc)) // active archive principals of each URI key
	claimed := map[int32]bool{}
	for _, ap := range arc {
		if ap.State == pchat.Active {
			uris[t.key(ap.URI)]++
		}
		if id, ok := t.byGUID[ap.GUID]; ok {
			claimed[id] = true
		}
	}
	out := make([]Match, len(arc))
	for i, ap := range arc {
		if id, ok := t.byGUID[ap.GUID]; ok {
			out[i] = Match{ID: id, How: ByGUID}
			continue
		}
		key := t.key(ap.URI)
		if id, ok := t.byKey[key]; ok && ap.State == pchat.Active && t.actives[key] == 1 && uris[key] == 1 && !claimed[id] {
			out[i] = Match{ID: id, How: ByURI}
			continue
		}
		if ap.System {
			out[i] = Match{ID: pchat.SystemUserID, How: System}
		}
	}
	return out
}
