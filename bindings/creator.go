package bindings

import (
	"fmt"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/pchat"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// creatorLoader: require("creator")
//
//	creator.list(pool, category) -> {uri...}
//	creator.carry_over(from_pool, to_pool [, {categories={...}}]) -> result
//	creator.add(pool, category, {uri...}) -> result
//	creator.remove(pool, category, {uri...}) -> {removed=n}
//
// Creators are tblPrincipalRole rows with the Creator role type (found by
// its description) on the category node. Each new creator must be within
// the category's allowed members minus its denied members; those who are not
// are reported in not_allowed and not written. add/carry_over result:
// {added=n, categories={{name, added={...}, already={...}, not_allowed={...},
// unknown={...}}}, missing_categories={...}, not_allowed=n, unknown=n}.
// list, add and remove raise not_found for a missing category, remove
// validation for unknown principals, carry_over not_found for a name in
// categories that the source lacks. For real estates the supported
// alternative (Set-CsPersistentChatCategory -Creators @{Add=...}) of what
// add and carry_over wrote also goes into the runbook.
func (e *Env) creatorLoader(L *lua.LState) int {
	t := L.NewTable()
	pcrt.SetFuncs(L, t, "creator", map[string]lua.LGFunction{
		"list": e.creatorList, "carry_over": e.creatorCarryOver, "add": e.creatorAdd, "remove": e.creatorRemove,
	})
	L.Push(t)
	return 1
}

func (e *Env) creatorList(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	c, ok := categoryByName(L, s, name)
	if !ok {
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

// grant adds creators (by name) to a category after the eligibility check.
func (e *Env) grant(L *lua.LState, p estate.Pool, s *store.Store, x *prinIndex, c pchat.Category, names []string) creatorCategory {
	cc := creatorCategory{Name: c.Name, Added: []string{}, Already: []string{}, NotAllowed: []string{}, Unknown: []string{}}
	have := map[int32]bool{}
	for _, id := range c.Creators {
		have[id] = true
	}
	var ids []int32
	for _, n := range names {
		pr := x.find(n)
		switch {
		case pr == nil:
			cc.Unknown = append(cc.Unknown, n)
			warn(L, "category %q: creator %s is not provisioned in %s; not added", c.Name, n, p.Pool)
		case have[pr.ID]:
			cc.Already = append(cc.Already, pr.URI)
		case !x.allowed(c, pr.ID):
			cc.NotAllowed = append(cc.NotAllowed, pr.URI)
			warn(L, "category %q: %s is not within the allowed members minus denied members; not added as creator", c.Name, pr.URI)
		default:
			have[pr.ID] = true
			ids = append(ids, pr.ID)
			cc.Added = append(cc.Added, pr.URI)
		}
	}
	if len(ids) == 0 {
		return cc
	}
	_, err := s.AddRoles(L.Context(), c.ID, pchat.RoleCreator, ids)
	check(L, err)
	record(L, pcrt.Action{Module: "creator", Op: "add", Target: p.Pool + `\` + c.Name, Count: int64(len(ids)),
		Detail: "creators " + strings.Join(cc.Added, ", ")})
	if e.Estate != nil && !e.Estate.IsLab() {
		e.runbookSection(L)
		e.Runbook.Comment("pcmig wrote these creators to the database; the line below is the supported way to make the same change, and is safe to run again.")
		check(L, e.Runbook.AddCategoryCreators(p.Pool, c.Name, cc.Added))
	}
	return cc
}

func (e *Env) creatorAdd(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	names := checkStrings(L, 3)
	c, ok := categoryByName(L, s, name)
	if !ok {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	var res creatorResult
	res.MissingCategories = []string{}
	res.add(e.grant(L, p, s, e.principals(L, s), c, names))
	L.Push(toLua(L, res))
	return 1
}

func (e *Env) creatorRemove(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	names := checkStrings(L, 3)
	c, ok := categoryByName(L, s, name)
	if !ok {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	ids := resolve(L, e.principals(L, s), "creators", names)
	n, err := s.RemoveRoles(L.Context(), c.ID, pchat.RoleCreator, ids)
	check(L, err)
	if n > 0 {
		record(L, pcrt.Action{Module: "creator", Op: "remove", Target: p.Pool + `\` + c.Name, Count: int64(n)})
	}
	t := L.NewTable()
	t.RawSetString("removed", lua.LNumber(n))
	L.Push(t)
	return 1
}

// creatorCarryOver copies the creators of the source's categories to the
// target's categories of the same name, matching principals by GUID, then
// URI. A name in the categories option that the source lacks raises
// not_found before anything is written.
func (e *Env) creatorCarryOver(L *lua.LState) int {
	from, src := e.poolStore(L, 1)
	to, dst := e.poolStore(L, 2)
	o := opts(L, 3)
	srcCats, err := src.Categories(L.Context())
	check(L, err)
	only := map[string]bool{}
	var unknown []string
	for _, name := range optStrings(L, o, "categories") {
		only[strings.ToLower(name)] = true
		if !slices.ContainsFunc(srcCats, func(c pchat.Category) bool { return strings.EqualFold(c.Name, name) }) {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) > 0 {
		pcrt.RaiseError(L, pcrt.KindNotFound, "option categories names categories that are not in %s: %s", from.Pool, strings.Join(unknown, ", "))
	}
	sx, dx := e.principals(L, src), e.principals(L, dst)
	res := creatorResult{Categories: []creatorCategory{}, MissingCategories: []string{}}
	for _, sc := range srcCats {
		if len(only) > 0 && !only[strings.ToLower(sc.Name)] {
			continue
		}
		if len(sc.Creators) == 0 {
			continue
		}
		tc, ok := categoryByName(L, dst, sc.Name)
		if !ok {
			res.MissingCategories = append(res.MissingCategories, sc.Name)
			warn(L, "category %q of %s is not in %s: its creators cannot be carried over", sc.Name, from.Pool, to.Pool)
			continue
		}
		var names []string
		for _, id := range sc.Creators {
			sp := sx.byID[id]
			if sp == nil {
				continue
			}
			if tp := dx.find(sp.GUID); tp != nil {
				names = append(names, tp.GUID)
			} else {
				names = append(names, sp.URI)
			}
		}
		cc := e.grant(L, to, dst, dx, tc, names)
		res.add(cc)
	}
	switch left := res.NotAllowed + res.Unknown + len(res.MissingCategories); {
	case res.Added == 0 && left == 0:
		say(L, "creators: every creator of %s is already a creator in %s", from.Pool, to.Pool)
	case left == 0:
		say(L, "creators: added %d creators in %s", res.Added, to.Pool)
	default:
		say(L, "creators: added %d creators in %s; %d not allowed, %d not provisioned, %d categories missing (see the warnings)",
			res.Added, to.Pool, res.NotAllowed, res.Unknown, len(res.MissingCategories))
	}
	L.Push(toLua(L, res))
	return 1
}
