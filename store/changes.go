package store

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// ScopeEntry puts a principal on a node's allowed list (Denied false) or
// denied list. A node holds one entry per principal: a principal already on
// either list keeps its entry.
type ScopeEntry struct {
	Node, Prin int32
	Denied     bool
}

// RoleGrant gives a principal a role on a node. Role is a role type ID from
// Store.Roles (Member, Manager, Voiced or Creator).
type RoleGrant struct{ Node, Prin, Role int32 }

// Changes is a set of structure writes that Apply makes in one transaction,
// set-based: a handful of statements whatever the number of rows. New
// categories and rooms get placeholder IDs (negative) by which the rooms,
// scope entries and grants of the same Changes refer to them; Applied.ID
// turns a placeholder into the ID the node got.
//
// A zero Changes is empty and ready to use.
type Changes struct {
	nodes  []newNode
	scopes []ScopeEntry
	grants []RoleGrant
}

// newNode is a category (room nil) or a room to create.
type newNode struct {
	cat  pchat.Category
	room *pchat.Room
}

// placeholder is the ID by which Changes refers to its k-th new node.
func placeholder(k int) int32 { return -1 - int32(k) }

// Category adds a category to create under the root, with its allowed and
// denied members (scope entries) and creators (grants), and returns its
// placeholder ID. c.GUID is kept when it is free; otherwise the category
// gets a new GUID. c.ID is ignored.
func (c *Changes) Category(cat pchat.Category) int32 {
	c.nodes = append(c.nodes, newNode{cat: cat})
	return placeholder(len(c.nodes) - 1)
}

// Room adds a room to create, with its members, managers and presenters,
// and returns its placeholder ID. r.CategoryID is an existing category's ID
// or the placeholder of a category of these Changes. r.ID is ignored.
func (c *Changes) Room(r pchat.Room) int32 {
	c.nodes = append(c.nodes, newNode{room: &r})
	return placeholder(len(c.nodes) - 1)
}

// Scope adds scope entries; entries whose node already has one for the
// principal, in the database or earlier in these Changes, are kept as they
// are.
func (c *Changes) Scope(e ...ScopeEntry) { c.scopes = append(c.scopes, e...) }

// Grant adds role grants; grants that exist are skipped.
func (c *Changes) Grant(g ...RoleGrant) { c.grants = append(c.grants, g...) }

// Empty reports whether there is nothing to write.
func (c *Changes) Empty() bool {
	return len(c.nodes) == 0 && len(c.scopes) == 0 && len(c.grants) == 0
}

// Applied says what Apply wrote.
type Applied struct {
	Categories, Rooms int // created
	Scopes, Grants    int // added; entries and grants the database had are not counted
	ids               []int32
}

// ID returns the ID a placeholder stands for, and any other ID unchanged.
func (a *Applied) ID(id int32) int32 {
	if k := -1 - int(id); id < 0 && k < len(a.ids) {
		return a.ids[k]
	}
	return id
}

// Apply writes the changes in one transaction: every category and room
// with its lists, then the scope entries and grants. Nothing is written
// when any part is invalid or fails.
func (s *Store) Apply(ctx context.Context, c *Changes) (*Applied, error) {
	a := &Applied{}
	if c.Empty() {
		return a, nil
	}
	if err := s.checkChanges(c); err != nil {
		return nil, err
	}
	err := s.write(ctx, c.describe(), func(q querier) error {
		*a = Applied{}
		return s.apply(ctx, q, c, a)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (c *Changes) describe() string {
	cats := 0
	for _, n := range c.nodes {
		if n.room == nil {
			cats++
		}
	}
	return fmt.Sprintf("write %s, %s, %s and %s", numtext.Count(cats, "category", "categories"), numtext.Count(len(c.nodes)-cats, "room", "rooms"),
		numtext.Count(len(c.scopes), "scope entry", "scope entries"), numtext.Count(len(c.grants), "role grant", "role grants"))
}

// checkChanges validates before anything is written.
func (s *Store) checkChanges(c *Changes) error {
	ref := func(what string, id int32, wantCategory bool) error {
		if id >= 0 {
			if id == 0 {
				return fmt.Errorf("%s: no node given", what)
			}
			return nil
		}
		k := -1 - int(id)
		if k >= len(c.nodes) {
			return fmt.Errorf("%s: placeholder %d names no node of these changes", what, id)
		}
		if wantCategory && c.nodes[k].room != nil {
			return fmt.Errorf("%s: placeholder %d is a room, not a category", what, id)
		}
		return nil
	}
	for _, n := range c.nodes {
		if n.room == nil {
			if err := s.CheckNode(n.cat.Name, n.cat.Description); err != nil {
				return fmt.Errorf("category %q: %w", n.cat.Name, err)
			}
			continue
		}
		r := n.room
		if err := s.CheckNode(r.Name, r.Description); err != nil {
			return fmt.Errorf("room %q: %w", r.Name, err)
		}
		if _, err := s.roomNode(*r); err != nil {
			return err
		}
		if err := ref(fmt.Sprintf("room %q", r.Name), r.CategoryID, true); err != nil {
			return err
		}
	}
	for _, e := range c.scopes {
		if err := ref("scope entry", e.Node, false); err != nil {
			return err
		}
	}
	for _, g := range c.grants {
		if err := ref("role grant", g.Node, false); err != nil {
			return err
		}
		if !s.roles.valid(g.Role) {
			return fmt.Errorf("role grant: %d is not one of the role type IDs %v", g.Role, s.roles)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, q querier, c *Changes, a *Applied) error {
	ids, err := s.insertNodes(ctx, q, c.nodes)
	if err != nil {
		return err
	}
	a.ids = ids
	var scopes []ScopeEntry
	var grants []RoleGrant
	for k, n := range c.nodes {
		id := ids[k]
		if n.room == nil {
			a.Categories++
			scopes = appendScopes(scopes, id, false, n.cat.AllowedMembers)
			scopes = appendScopes(scopes, id, true, n.cat.DeniedMembers)
			grants = appendGrants(grants, id, s.roles.Creator, n.cat.Creators)
			continue
		}
		a.Rooms++
		grants = appendGrants(grants, id, s.roles.Member, n.room.Members)
		grants = appendGrants(grants, id, s.roles.Manager, n.room.Managers)
		grants = appendGrants(grants, id, s.roles.Voiced, n.room.Presenters)
	}
	for _, e := range c.scopes {
		e.Node = a.ID(e.Node)
		scopes = append(scopes, e)
	}
	for _, g := range c.grants {
		g.Node = a.ID(g.Node)
		grants = append(grants, g)
	}
	n, err := s.insertScopes(ctx, q, scopes)
	if err != nil {
		return err
	}
	a.Scopes = int(n)
	n, err = s.insertGrants(ctx, q, grants)
	a.Grants = int(n)
	return err
}

func appendScopes(out []ScopeEntry, node int32, denied bool, prins []int32) []ScopeEntry {
	for _, p := range prins {
		out = append(out, ScopeEntry{Node: node, Prin: p, Denied: denied})
	}
	return out
}

func appendGrants(out []RoleGrant, node, role int32, prins []int32) []RoleGrant {
	for _, p := range prins {
		out = append(out, RoleGrant{Node: node, Prin: p, Role: role})
	}
	return out
}

// scopeColumns are the tblScopePrincipal columns pcmig writes.
var scopeColumns = []column{{"scopeNodeID", "int"}, {"scopePrinID", "int"}, {"scopeIsDenied", "bit"}, {"scopeUpdatedBy", "int"}}

// insertScopes adds the entries whose node has none for the principal; of
// several entries for one node and principal the first counts.
func (s *Store) insertScopes(ctx context.Context, q querier, scopes []ScopeEntry) (int64, error) {
	type key struct{ node, prin int32 }
	seen := make(map[key]bool, len(scopes))
	cs := chunkedSet{rs: rowSet{table: "tblScopePrincipal", cols: scopeColumns, key: []string{"scopeNodeID", "scopePrinID"}}, write: s.dialect.insertSet}
	for _, e := range scopes {
		k := key{e.Node, e.Prin}
		if seen[k] {
			continue
		}
		seen[k] = true
		if err := cs.add(ctx, q, []any{int64(e.Node), int64(e.Prin), e.Denied, int64(pchat.SystemUserID)}); err != nil {
			return cs.n, err
		}
	}
	err := cs.flush(ctx, q)
	return cs.n, err
}

// grantColumns are the tblPrincipalRole columns pcmig writes.
var grantColumns = []column{{"prinRoleNodeID", "int"}, {"prinRolePrinID", "int"}, {"prinRoleTypeID", "int"}, {"prinRoleUpdatedBy", "int"}}

// insertGrants adds the grants the database lacks.
func (s *Store) insertGrants(ctx context.Context, q querier, grants []RoleGrant) (int64, error) {
	seen := make(map[RoleGrant]bool, len(grants))
	cs := chunkedSet{rs: rowSet{table: "tblPrincipalRole", cols: grantColumns, key: []string{"prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID"}}, write: s.dialect.insertSet}
	for _, g := range grants {
		if seen[g] {
			continue
		}
		seen[g] = true
		if err := cs.add(ctx, q, []any{int64(g.Node), int64(g.Prin), int64(g.Role), int64(pchat.SystemUserID)}); err != nil {
			return cs.n, err
		}
	}
	err := cs.flush(ctx, q)
	return cs.n, err
}

// AddRoleGrants adds many role grants, on any nodes, in one transaction,
// skipping the ones that exist, and returns how many it added.
func (s *Store) AddRoleGrants(ctx context.Context, grants []RoleGrant) (added int, err error) {
	var c Changes
	c.Grant(grants...)
	a, err := s.Apply(ctx, &c)
	if err != nil {
		return 0, err
	}
	return a.Grants, nil
}

// AddScopeEntries adds many scope entries, on any nodes, in one
// transaction, keeping the entries nodes have, and returns how many it
// added.
func (s *Store) AddScopeEntries(ctx context.Context, entries []ScopeEntry) (added int, err error) {
	var c Changes
	c.Scope(entries...)
	a, err := s.Apply(ctx, &c)
	if err != nil {
		return 0, err
	}
	return a.Scopes, nil
}
