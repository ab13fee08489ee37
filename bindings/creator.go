package bindings

import (
	"fmt"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// creatorLoader: require("creator")
//
//	creator.list(pool, category) -> {uri...}
//	creator.carry_over(from_pool, to_pool [, {categories={...}, targets={[name]=target_name}, file=}]) -> result
//	creator.add(pool, category, {uri...}) -> result
//	creator.remove(pool, category, {uri...}) -> {removed=n}
//
// Creators are tblPrincipalRole rows with the Creator role type (found by
// its description) on the category node. Each new creator must be within
// the category's allowed members minus its denied members by its
// memberships in the pool (pchat.Within, the rule the import bounds roles
// by); those who are not are reported in not_allowed and not written. add/carry_over result:
// {added=n, categories={{name, added={...}, already={...}, not_allowed={...},
// unknown={...}}}, missing_categories={...}, not_allowed=n, unknown=n}.
// list, add and remove raise not_found for a missing category, remove
// validation for unknown principals, carry_over not_found for a name in
// categories that the source lacks (or a key of targets), validation for
// a targets entry that is not a name mapped to a name. targets maps
// source category names to the target categories that receive their
// creators (an import's renames, from import.record); with it, source
// categories it does not name are left out. file is the archive from_pool
// was exported to (default: its own archive, else the estate's): when it
// was imported into to_pool, carry_over matches principals by its
// principals, as the import did. For real estates the supported
// alternative (Set-CsPersistentChatCategory -Creators @{Add=...}) of what
// add and carry_over wrote also goes into the runbook.
func (e *Env) creatorLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "creator", map[string]lua.LGFunction{
		"list": e.creatorList, "carry_over": e.creatorCarryOver, "add": e.creatorAdd, "remove": e.creatorRemove,
	})
	L.Push(t)
	return 1
}

func (e *Env) creatorList(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	c := e.categories(L, s).find(name)
	if c == nil {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	L.Push(toLua(L, sorted(e.principals(L, s).labels(c.Creators))))
	return 1
}

type creatorCategory struct {
	Name       string   `json:"name"`
	Added      []string `json:"added"`
	Already    []string `json:"already"`
	NotAllowed []string `json:"not_allowed"`
	Unknown    []string `json:"unknown"`
}

type creatorResult struct {
	Added             int               `json:"added"`
	NotAllowed        int               `json:"not_allowed"`
	Unknown           int               `json:"unknown"`
	Categories        []creatorCategory `json:"categories"`
	MissingCategories []string          `json:"missing_categories"`
}

func (r *creatorResult) add(cc creatorCategory) {
	r.Added += len(cc.Added)
	r.NotAllowed += len(cc.NotAllowed)
	r.Unknown += len(cc.Unknown)
	r.Categories = append(r.Categories, cc)
}

// creatorGrant is what granting creators to one category comes to: the
// result to report and the principals to write.
type creatorGrant struct {
	cat *pchat.Category
	res creatorCategory
	ids []int32
}

// planGrant sorts the named principals of a category into unknown, already
// creators, not allowed (outside the allowed members minus the denied
// members) and to add, warning about the first two.
func planGrant(L *lua.LState, p estate.Pool, x *prinIndex, c *pchat.Category, names []string) creatorGrant {
	gs := make([]grantee, len(names))
	for i, n := range names {
		gs[i] = grantee{label: n, pr: x.find(n)}
		if gs[i].pr != nil {
			gs[i].label = gs[i].pr.URI
		}
	}
	return planGrantees(L, p, x, c, gs)
}

// planGrantees is planGrant of principals already looked up.
func planGrantees(L *lua.LState, p estate.Pool, x *prinIndex, c *pchat.Category, gs []grantee) creatorGrant {
	g := creatorGrant{cat: c, res: creatorCategory{Name: c.Name, Added: []string{}, Already: []string{}, NotAllowed: []string{}, Unknown: []string{}}}
	have := map[int32]bool{}
	for _, id := range c.Creators {
		have[id] = true
	}
	for _, ge := range gs {
		pr := ge.pr
		switch {
		case pr == nil:
			g.res.Unknown = append(g.res.Unknown, ge.label)
			warn(L, "category %q: creator %s is not provisioned in %s; not added", c.Name, ge.label, p.Pool)
		case have[pr.ID]:
			g.res.Already = append(g.res.Already, pr.URI)
		case !x.allowed(*c, pr.ID):
			g.res.NotAllowed = append(g.res.NotAllowed, pr.URI)
			warn(L, "category %q: %s is not within the allowed members minus denied members (%s); not added as creator", c.Name, pr.URI, x.outsideWhy(*c, pr.ID))
		default:
			have[pr.ID] = true
			g.ids = append(g.ids, pr.ID)
			g.res.Added = append(g.res.Added, pr.URI)
		}
	}
	return g
}

// applyGrants writes the creators of every grant in one transaction, then
// keeps the cached categories current, records each category's action and,
// for real estates, writes the supported alternative into the runbook.
func (e *Env) applyGrants(L *lua.LState, p estate.Pool, s *store.Store, grants []creatorGrant) {
	var batch []store.RoleGrant
	for _, g := range grants {
		for _, id := range g.ids {
			batch = append(batch, store.RoleGrant{Node: g.cat.ID, Prin: id, Role: s.Roles().Creator})
		}
	}
	if len(batch) == 0 {
		return
	}
	if _, err := s.AddRoleGrants(L.Context(), batch); err != nil {
		raise(L, err) // one transaction: nothing was written
	}
	for _, g := range grants {
		if len(g.ids) == 0 {
			continue
		}
		g.cat.Creators = union(g.cat.Creators, g.ids)
		record(L, pcrt.Action{Module: "creator", Op: "add", Target: p.Pool + `\` + g.cat.Name, Count: int64(len(g.ids)),
			Detail: "creators " + strings.Join(g.res.Added, ", ")})
		if e.Estate != nil && !e.Estate.IsLab() {
			e.runbookSection(L)
			e.Runbook.Comment("pcmig wrote these creators to the database; the line below is the supported way to make the same change, and adds only the creators the category lacks.")
			check(L, e.Runbook.AddCategoryCreators(p.Pool, g.cat.Name, g.res.Added))
		}
	}
}

func (e *Env) creatorAdd(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	names := checkStrings(L, 3)
	c := e.categories(L, s).find(name)
	if c == nil {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	g := planGrant(L, p, e.principals(L, s), c, names)
	e.applyGrants(L, p, s, []creatorGrant{g})
	res := creatorResult{MissingCategories: []string{}}
	res.add(g.res)
	L.Push(toLua(L, res))
	return 1
}

func (e *Env) creatorRemove(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	names := checkStrings(L, 3)
	c := e.categories(L, s).find(name)
	if c == nil {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	ids := resolve(L, e.principals(L, s), "creators", names)
	n, err := s.RemoveRoles(L.Context(), c.ID, pchat.RoleCreator, ids)
	check(L, err)
	c.Creators = slices.DeleteFunc(slices.Clone(c.Creators), func(id int32) bool { return slices.Contains(ids, id) })
	if n > 0 {
		record(L, pcrt.Action{Module: "creator", Op: "remove", Target: p.Pool + `\` + c.Name, Count: int64(n)})
	}
	t := L.NewTable()
	t.RawSetString("removed", lua.LNumber(n))
	L.Push(t)
	return 1
}

// creatorCarryOver copies the creators of the source's categories to the
// target's categories of the same name (or the name the targets option
// maps them to), matching principals by the rule the import matches them
// by (carriedCreators: internal/prinmatch, applied to the principals of
// the import's archive, file, when it was imported into the target, else
// to the source's). A name in the categories or targets option that the
// source lacks raises not_found before anything is written.
func (e *Env) creatorCarryOver(L *lua.LState) int {
	from, src := e.poolStore(L, 1)
	to, dst := e.poolStore(L, 2)
	o := opts(L, "creator.carry_over")
	srcCats, dstCats := e.categories(L, src), e.categories(L, dst)
	only := map[string]bool{}
	var unknown []string
	for _, name := range optStrings(L, o, "categories") {
		only[src.NameKey(name)] = true
		if srcCats.find(name) == nil {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) > 0 {
		pcrt.RaiseError(L, pcrt.KindNotFound, "option categories names categories that are not in %s: %s", from.Pool, strings.Join(unknown, ", "))
	}
	targets := optTargets(L, o, src.NameKey)
	for _, name := range sortedKeys(targets.names) {
		if srcCats.find(name) == nil {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) > 0 {
		pcrt.RaiseError(L, pcrt.KindNotFound, "option targets names categories that are not in %s: %s", from.Pool, strings.Join(unknown, ", "))
	}
	sx, dx := e.principals(L, src), e.principals(L, dst)
	carried := e.carriedCreators(L, from, optString(L, o, "file", ""), dst, sx, dx)
	res := creatorResult{Categories: []creatorCategory{}, MissingCategories: []string{}}
	var grants []creatorGrant
	for _, sc := range srcCats.list {
		if len(only) > 0 && !only[src.NameKey(sc.Name)] {
			continue
		}
		tname, ok := targets.of(sc.Name)
		if !ok || len(sc.Creators) == 0 {
			continue
		}
		tc := dstCats.find(tname)
		if tc == nil {
			res.MissingCategories = append(res.MissingCategories, tname)
			if targets.given() {
				warn(L, "target category %q named by targets for source category %q does not exist in %s: its creators cannot be carried over", tname, sc.Name, to.Pool)
			} else {
				warn(L, "category %q of %s is not in %s: its creators cannot be carried over", tname, from.Pool, to.Pool)
			}
			continue
		}
		var gs []grantee
		for _, id := range sc.Creators {
			if sx.byID[id] != nil {
				gs = append(gs, carried(sx.byID[id]))
			}
		}
		g := planGrantees(L, to, dx, tc, gs)
		// A category named twice (through fold-equal source names) must
		// not be granted the same creators twice.
		tc.Creators = union(tc.Creators, g.ids)
		grants = append(grants, g)
		res.add(g.res)
	}
	for _, g := range grants {
		g.cat.Creators = slices.DeleteFunc(g.cat.Creators, func(id int32) bool { return slices.Contains(g.ids, id) })
	}
	e.applyGrants(L, to, dst, grants)
	switch left := res.NotAllowed + res.Unknown + len(res.MissingCategories); {
	case res.Added == 0 && left == 0:
		say(L, "creators: every creator of %s is already a creator in %s", from.Pool, to.Pool)
	case left == 0:
		say(L, "creators: added %s in %s", numtext.Count(res.Added, "creator", "creators"), to.Pool)
	default:
		say(L, "creators: added %s in %s; %d not allowed, %d not provisioned, %s missing (see the warnings)",
			numtext.Count(res.Added, "creator", "creators"), to.Pool, res.NotAllowed, res.Unknown, numtext.Count(len(res.MissingCategories), "category", "categories"))
	}
	L.Push(toLua(L, res))
	return 1
}

// outsideWhy says why principal id is outside category c's allowed members
// minus its denied members (pchat.Excluded), as the import says it.
func (x *prinIndex) outsideWhy(c pchat.Category, id int32) string {
	by, isDenied := pchat.Excluded(id, x.aff[id], func(g int32) bool { return slices.Contains(c.DeniedMembers, g) })
	switch {
	case !isDenied:
		return "neither " + x.label(id) + " nor a group it belongs to is an allowed member"
	case by == id:
		return x.label(id) + " is a denied member"
	default:
		return x.label(id) + " belongs to " + x.label(by) + ", a denied member"
	}
}
