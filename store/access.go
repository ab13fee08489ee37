package store

import (
	"context"
	"fmt"
	"sort"
)

// AccessEntry is one role grant (tblPrincipalRole) or scope entry
// (tblScopePrincipal) of a node.
type AccessEntry struct {
	Node      int32  // nodeID
	Principal int32  // prinID
	Kind      string // "member", "manager", "presenter", "creator", "allowed member", "denied member" or "role type N"
}

// UncarriedAccess lists the role grants and scope entries that pcmig's
// model of categories and rooms (pchat.Category, pchat.Room) has no place
// for: members, managers and presenters granted on a category itself,
// creators of a room, allowed and denied members of a room, grants of a
// role type other than the four, and every entry on the root node. The
// reference infers where each list is stored and leaves open whether the
// others occur; a database that holds them is told by this list, so that
// an export can say what it leaves behind. Entries of nodes that are not in
// tblNode are not listed (the doctor's business).
func (s *Store) UncarriedAccess(ctx context.Context) ([]AccessEntry, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID, nodeType FROM tblNode ORDER BY nodeID`)
	if err != nil {
		return nil, s.wrap("read tblNode", err)
	}
	isCategory := map[int32]bool{}
	for rows.Next() {
		var id int32
		var cat bool
		if err := rows.Scan(&id, &cat); err != nil {
			rows.Close()
			return nil, s.wrap("read tblNode", err)
		}
		isCategory[id] = cat
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap("read tblNode", err)
	}
	roles, err := s.roleRows(ctx)
	if err != nil {
		return nil, err
	}
	scopes, err := s.scopeRows(ctx)
	if err != nil {
		return nil, err
	}
	r := s.roles
	roleKind := map[int32]string{r.Member: "member", r.Manager: "manager", r.Voiced: "presenter", r.Creator: "creator"}
	var out []AccessEntry
	for node, byType := range roles {
		cat, ok := isCategory[node]
		if !ok {
			continue
		}
		for typ, prins := range byType {
			kind, known := roleKind[typ]
			if !known {
				kind = fmt.Sprintf("role type %d", typ)
			}
			carried := known && node != s.root && (cat == (typ == r.Creator))
			if carried {
				continue
			}
			for _, p := range prins {
				out = append(out, AccessEntry{Node: node, Principal: p, Kind: kind})
			}
		}
	}
	for node, sc := range scopes {
		if cat, ok := isCategory[node]; !ok || (cat && node != s.root) {
			continue
		}
		for _, p := range sc.allowed {
			out = append(out, AccessEntry{Node: node, Principal: p, Kind: "allowed member"})
		}
		for _, p := range sc.denied {
			out = append(out, AccessEntry{Node: node, Principal: p, Kind: "denied member"})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Node != b.Node {
			return a.Node < b.Node
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Principal < b.Principal
	})
	return out, nil
}

// NestedCategories maps each category (nodeType 1) whose parent is not the
// root to that parent's nodeID. Persistent Chat has one level of
// categories; Categories lists these as any other.
func (s *Store) NestedCategories(ctx context.Context) (map[int32]int32, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID, parentID FROM tblNode WHERE nodeType = 1 AND nodeID <> ? AND parentID IS NOT NULL AND parentID <> ? ORDER BY nodeID`, s.root, s.root)
	if err != nil {
		return nil, s.wrap("read tblNode", err)
	}
	defer rows.Close()
	out := map[int32]int32{}
	for rows.Next() {
		var id, parent int32
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, s.wrap("read tblNode", err)
		}
		out[id] = parent
	}
	return out, s.wrap("read tblNode", rows.Err())
}
