package bindings

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

// categoryLoader: require("category")
//
//	category.list(pool) -> {category...}
//	category.get(pool, name) -> category | nil
//	category.compare(source_pool, target_pool [, {targets={[name]=target_name}}]) -> {present, missing, extra, different}
//	category.create(pool, {name, description, invitations, file_upload,
//	                       chat_history, allowed_members, denied_members, creators}) -> category
//	category.update(pool, name, {new_name, description, invitations, file_upload, chat_history}) -> category
//
// A category table: {name, guid, description, invitations, file_upload,
// chat_history, allowed_members, denied_members, creators (lists of
// principal URIs), rooms (count)}. create raises conflict when the name is
// taken and validation for a name or description over 256 characters,
// unknown principals or a creator outside the allowed members minus the
// denied members; update raises not_found, conflict (new_name is taken) and
// validation. Nothing is written when they raise. compare's targets maps
// source category names to the target names they arrived under (an
// import's renames, from import.record); the source categories it does
// not name are not compared; an entry that is not a name mapped to a name
// raises validation.
func (e *Env) categoryLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "category", map[string]lua.LGFunction{
		"list": e.categoryList, "get": e.categoryGet, "compare": e.categoryCompare,
		"create": e.categoryCreate, "update": e.categoryUpdate,
	})
	L.Push(t)
	return 1
}

type categoryView struct {
	Name           string   `json:"name"`
	GUID           string   `json:"guid"`
	Description    string   `json:"description"`
	Invitations    bool     `json:"invitations"`
	FileUpload     bool     `json:"file_upload"`
	ChatHistory    bool     `json:"chat_history"`
	AllowedMembers []string `json:"allowed_members"`
	DeniedMembers  []string `json:"denied_members"`
	Creators       []string `json:"creators"`
	Rooms          int      `json:"rooms"`
}

// categoryView makes the view of a category.
func categoryViewOf(c *pchat.Category, x *prinIndex, rooms int) categoryView {
	return categoryView{Name: c.Name, GUID: c.GUID, Description: c.Description, Invitations: c.Invitations,
		FileUpload: c.FileUpload, ChatHistory: c.ChatHistory, AllowedMembers: sorted(x.labels(c.AllowedMembers)),
		DeniedMembers: sorted(x.labels(c.DeniedMembers)), Creators: sorted(x.labels(c.Creators)), Rooms: rooms}
}

func (e *Env) categoryViews(L *lua.LState, s *store.Store) []categoryView {
	cats, x := e.categories(L, s), e.principals(L, s)
	out := make([]categoryView, 0, len(cats.list))
	for _, c := range cats.list {
		out = append(out, categoryViewOf(c, x, e.roomCount(L, s, c.ID)))
	}
	return out
}

func sorted(l []string) []string { sort.Strings(l); return l }

func (e *Env) categoryList(L *lua.LState) int {
	_, s := e.poolStore(L, 1)
	L.Push(toLua(L, e.categoryViews(L, s)))
	return 1
}

func (e *Env) categoryGet(L *lua.LState) int {
	_, s := e.poolStore(L, 1)
	return e.categoryGetByName(L, s, L.CheckString(2))
}

type categoryDiff struct {
	Name        string   `json:"name"`
	Differences []string `json:"differences"`
}

type comparison struct {
	Present   []string       `json:"present"`
	Missing   []string       `json:"missing"`
	Extra     []string       `json:"extra"`
	Different []categoryDiff `json:"different"`
}

// categoryCompare compares by name; access lists are compared by principal
// URI, since IDs differ between pools.
func (e *Env) categoryCompare(L *lua.LState) int {
	_, src := e.poolStore(L, 1)
	_, dst := e.poolStore(L, 2)
	targets := optTargets(L, opts(L, "category.compare"), src.NameKey)
	a, b := e.categoryViews(L, src), e.categoryViews(L, dst)
	// Names and principals match as the target database compares them.
	key := dst.NameKey
	byName := map[string]categoryView{}
	for _, c := range b {
		byName[key(c.Name)] = c
	}
	cmpRes := comparison{Present: []string{}, Missing: []string{}, Extra: []string{}, Different: []categoryDiff{}}
	seen := map[string]bool{}
	for _, c := range a {
		tname, want := targets.of(c.Name)
		if !want {
			continue
		}
		t, ok := byName[key(tname)]
		if !ok {
			cmpRes.Missing = append(cmpRes.Missing, c.Name)
			continue
		}
		seen[key(tname)] = true
		cmpRes.Present = append(cmpRes.Present, c.Name)
		if d := diffCategory(c, t, dst.URIKey); len(d) > 0 {
			cmpRes.Different = append(cmpRes.Different, categoryDiff{Name: c.Name, Differences: d})
		}
	}
	for _, c := range b {
		if !seen[key(c.Name)] {
			cmpRes.Extra = append(cmpRes.Extra, c.Name)
		}
	}
	L.Push(toLua(L, cmpRes))
	return 1
}

func diffCategory(a, b categoryView, uriKey func(string) string) []string {
	var d []string
	if a.Description != b.Description {
		d = append(d, fmt.Sprintf("description: %q in the source, %q in the target", a.Description, b.Description))
	}
	for _, f := range []struct {
		name string
		x, y bool
	}{{"invitations", a.Invitations, b.Invitations}, {"file_upload", a.FileUpload, b.FileUpload}, {"chat_history", a.ChatHistory, b.ChatHistory}} {
		if f.x != f.y {
			d = append(d, fmt.Sprintf("%s: %v in the source, %v in the target", f.name, f.x, f.y))
		}
	}
	for _, l := range []struct {
		name string
		x, y []string
	}{{"allowed_members", a.AllowedMembers, b.AllowedMembers}, {"denied_members", a.DeniedMembers, b.DeniedMembers}, {"creators", a.Creators, b.Creators}} {
		if miss := minus(l.x, l.y, uriKey); len(miss) > 0 {
			d = append(d, fmt.Sprintf("%s missing in the target: %s", l.name, strings.Join(miss, ", ")))
		}
		if extra := minus(l.y, l.x, uriKey); len(extra) > 0 {
			d = append(d, fmt.Sprintf("%s only in the target: %s", l.name, strings.Join(extra, ", ")))
		}
	}
	return d
}

func minus(a, b []string, key func(string) string) []string {
	in := map[string]bool{}
	for _, v := range b {
		in[key(v)] = true
	}
	var out []string
	for _, v := range a {
		if !in[key(v)] {
			out = append(out, v)
		}
	}
	return out
}

// resolve maps principal names to IDs; unknown names raise validation.
func resolve(L *lua.LState, x *prinIndex, what string, names []string) []int32 {
	var ids []int32
	var unknown []string
	for _, n := range names {
		if p := x.find(n); p != nil {
			ids = append(ids, p.ID)
		} else {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s: unknown principals %s (not provisioned in this pool)", what, strings.Join(unknown, ", "))
	}
	return ids
}

func (e *Env) categoryCreate(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	o := opts(L, "category.create")
	name := strings.TrimSpace(optString(L, o, "name", ""))
	if name == "" {
		L.ArgError(2, "name is required")
	}
	checkNewName(L, "category", name)
	checkText(L, s, "category name", "nodeName", name)
	checkText(L, s, "category description", "nodeDesc", optString(L, o, "description", ""))
	if _, ok := e.categoryByName(L, s, name); ok {
		pcrt.RaiseError(L, pcrt.KindConflict, "category %q already exists in %s", name, p.Pool)
	}
	x := e.principals(L, s)
	now := pchat.TicksFromTime(e.now())
	c := pchat.Category{Name: name, Description: optString(L, o, "description", ""),
		Invitations: optBool(L, o, "invitations", true), FileUpload: optBool(L, o, "file_upload", true), ChatHistory: optBool(L, o, "chat_history", true),
		AllowedMembers: resolve(L, x, "allowed_members", optStrings(L, o, "allowed_members")),
		DeniedMembers:  resolve(L, x, "denied_members", optStrings(L, o, "denied_members")),
		AddedBy:        pchat.SystemUserID, AddedOn: now, UpdatedBy: pchat.SystemUserID, UpdatedOn: now}
	creators := resolve(L, x, "creators", optStrings(L, o, "creators"))
	for _, id := range creators {
		if !x.allowed(c, id) {
			pcrt.RaiseError(L, pcrt.KindValidation, "creator %s is not within the category's allowed members minus denied members", x.label(id))
		}
	}
	c.Creators = creators
	c.GUID = store.NewGUID()
	id, err := s.CreateCategory(L.Context(), c)
	check(L, err)
	// As the store wrote it: one scope row per principal (allowed first),
	// one role row per creator.
	c.ID = id
	c.AllowedMembers = union(nil, c.AllowedMembers)
	c.DeniedMembers = slices.DeleteFunc(union(nil, c.DeniedMembers), func(id int32) bool { return slices.Contains(c.AllowedMembers, id) })
	c.Creators = union(nil, c.Creators)
	cats := e.categories(L, s)
	cats.list = append(cats.list, &c)
	cats.reindex()
	record(L, pcrt.Action{Module: "category", Op: "create", Target: p.Pool + `\` + name,
		Detail: fmt.Sprintf("%d allowed, %d denied, %s", len(c.AllowedMembers), len(c.DeniedMembers), numtext.Count(len(creators), "creator", "creators"))})
	return e.categoryGetByName(L, s, name)
}

func (e *Env) categoryGetByName(L *lua.LState, s *store.Store, name string) int {
	c := e.categories(L, s).find(name)
	if c == nil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(toLua(L, categoryViewOf(c, e.principals(L, s), e.roomCount(L, s, c.ID))))
	return 1
}

func (e *Env) categoryUpdate(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	name := L.CheckString(2)
	o := opts(L, "category.update")
	c, ok := e.categoryByName(L, s, name)
	if !ok {
		pcrt.RaiseError(L, pcrt.KindNotFound, "category %q is not in %s", name, p.Pool)
	}
	before := c
	c.Name = strings.TrimSpace(optString(L, o, "new_name", c.Name))
	if c.Name == "" {
		L.ArgError(3, "new_name must not be empty")
	}
	if c.Name != before.Name {
		checkNewName(L, "category", c.Name)
	}
	c.Description = optString(L, o, "description", c.Description)
	checkText(L, s, "category name", "nodeName", c.Name)
	checkText(L, s, "category description", "nodeDesc", c.Description)
	c.Invitations = optBool(L, o, "invitations", c.Invitations)
	c.FileUpload = optBool(L, o, "file_upload", c.FileUpload)
	c.ChatHistory = optBool(L, o, "chat_history", c.ChatHistory)
	if s.NameKey(c.Name) != s.NameKey(before.Name) {
		if _, taken := e.categoryByName(L, s, c.Name); taken {
			pcrt.RaiseError(L, pcrt.KindConflict, "category %q already exists in %s", c.Name, p.Pool)
		}
	}
	if c.Name != before.Name || c.Description != before.Description || c.Invitations != before.Invitations ||
		c.FileUpload != before.FileUpload || c.ChatHistory != before.ChatHistory {
		c.UpdatedBy, c.UpdatedOn = pchat.SystemUserID, pchat.TicksFromTime(e.now())
		check(L, s.UpdateCategoryFrom(L.Context(), before, c))
		cats := e.categories(L, s)
		*cats.byID[c.ID] = c
		cats.reindex()
		record(L, pcrt.Action{Module: "category", Op: "update", Target: p.Pool + `\` + before.Name})
	}
	return e.categoryGetByName(L, s, c.Name)
}

// checkNewName raises validation for a name a script gives a category or
// room that the pool should not hold: only spaces (SQL Server compares
// it as the empty name, and every import of the pool refuses it), or a
// control character (clients show nothing in its place, and SQL Server's
// collations may compare the name as one without it). A name the pool
// already holds is carried as it is, as the import carries it.
func checkNewName(L *lua.LState, kind, name string) {
	if name != "" && strings.TrimRight(name, " ") == "" {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s name %q is only spaces, which SQL Server compares as an empty name: give the %s a name", kind, name, kind)
	}
	if r, ok := textwidth.FirstControl(name); ok {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s name %q holds a control character (%U), which clients show as nothing and SQL Server's collations may ignore: remove it", kind, textwidth.Shorten(name), r)
	}
}

// checkText raises validation when a name or description does not fit its
// tblNode column as the database declares it (nvarchar(256) lengths count
// UTF-16 code units: an emoji counts 2).
func checkText(L *lua.LState, s *store.Store, what, column, v string) {
	if err := s.CheckText("tblNode", column, v); err != nil {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s is %d characters (UTF-16 code units): %v", what, store.UTF16Len(v), err)
	}
}
