package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// prinIndex finds a pool's principals by the names administrators use: SIP
// URI (or any prinUri), GUID, AD distinguished name or UPN.
type prinIndex struct {
	byID  map[int32]*pchat.Principal
	byKey map[string]*pchat.Principal // lower-case GUID, AD path and UPN
	byURI map[string]*pchat.Principal // URI by the database's key (Store.URIKey)
	uri   func(string) string
	aff   map[int32][]int32
}

// principals returns the pool's principal index, read once and kept until
// something adds principals to the pool (an import): pools hold up to
// 150,000 principals, and steps ask for them category by category.
func (e *Env) principals(L *lua.LState, s *store.Store) *prinIndex {
	pc := e.poolCache(s)
	if pc.prins == nil {
		pc.prins = readPrincipals(L, s)
	}
	return pc.prins
}

func readPrincipals(L *lua.LState, s *store.Store) *prinIndex {
	prins, err := s.Principals(L.Context())
	check(L, err)
	aff, err := s.Affiliations(L.Context())
	check(L, err)
	x := &prinIndex{byID: map[int32]*pchat.Principal{}, byKey: map[string]*pchat.Principal{}, byURI: map[string]*pchat.Principal{},
		uri: s.URIKey, aff: aff}
	for i := range prins {
		p := &prins[i]
		x.byID[p.ID] = p
		if k := x.uri(p.URI); x.byURI[k] == nil {
			x.byURI[k] = p
		}
		for _, k := range []string{p.GUID, p.ADPath, p.UPN} {
			if k == "" {
				continue
			}
			k = strings.ToLower(k)
			if _, dup := x.byKey[k]; !dup {
				x.byKey[k] = p
			}
		}
	}
	return x
}

// find looks a principal up; a bare user@domain is taken as sip:user@domain.
func (x *prinIndex) find(name string) *pchat.Principal {
	name = strings.TrimSpace(name)
	if p := x.byURI[x.uri(name)]; p != nil {
		return p
	}
	if p := x.byKey[strings.ToLower(name)]; p != nil {
		return p
	}
	if strings.Contains(name, "@") && !strings.Contains(name, ":") {
		return x.byURI[x.uri("sip:"+name)]
	}
	return nil
}

// label is how scripts see a principal: its URI.
func (x *prinIndex) label(id int32) string {
	if p := x.byID[id]; p != nil {
		return p.URI
	}
	return "prinID:" + itoa(int(id))
}

func (x *prinIndex) labels(ids []int32) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, x.label(id))
	}
	return out
}

// allowed reports whether a principal is within a category's allowed
// members minus its denied members by its memberships in this pool
// (tblPrincipalAffiliations), the rule the import bounds roles by
// (pchat.Within).
func (x *prinIndex) allowed(c pchat.Category, id int32) bool {
	set := func(l []int32) map[int32]bool {
		m := map[int32]bool{}
		for _, v := range l {
			m[v] = true
		}
		return m
	}
	allow, deny := set(c.AllowedMembers), set(c.DeniedMembers)
	return pchat.Within(id, x.aff[id], func(g int32) bool { return allow[g] }, func(g int32) bool { return deny[g] })
}

func itoa(n int) string {
	return strings.TrimSpace(lua.LNumber(n).String())
}
