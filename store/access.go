package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
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
	out, table, err := uncarriedAccess(ctx, s.q(), s.roles, s.root)
	if err != nil {
		return nil, s.wrap("read "+table, err)
	}
	return out, nil
}

// uncarriedAccess is UncarriedAccess on q, for the role types r and the
// root node; an error says which table it read.
func uncarriedAccess(ctx context.Context, q querier, r RoleTypes, root int32) ([]AccessEntry, string, error) {
	// The database picks them out: on a pool of 20,000 rooms reading every
	// grant and scope entry into Go took a third of a second to find none.
	// A category is a node of nodeType other than 0, as the readers take it.
	roleKind := map[int32]string{r.Member: "member", r.Manager: "manager", r.Voiced: "presenter", r.Creator: "creator"}
	var out []AccessEntry
	rows, err := q.QueryContext(ctx, `SELECT g.prinRoleNodeID, g.prinRoleTypeID, g.prinRolePrinID
		FROM tblPrincipalRole g JOIN tblNode n ON n.nodeID = g.prinRoleNodeID
		WHERE g.prinRoleTypeID NOT IN (?, ?, ?, ?) OR n.nodeID = ?
			OR (n.nodeType <> 0 AND g.prinRoleTypeID <> ?) OR (n.nodeType = 0 AND g.prinRoleTypeID = ?)`,
		r.Member, r.Manager, r.Voiced, r.Creator, root, r.Creator, r.Creator)
	if err != nil {
		return nil, "tblPrincipalRole", err
	}
	for rows.Next() {
		var node, typ, prin int32
		if err := rows.Scan(&node, &typ, &prin); err != nil {
			rows.Close()
			return nil, "tblPrincipalRole", err
		}
		kind, known := roleKind[typ]
		if !known {
			kind = fmt.Sprintf("role type %d", typ)
		}
		out = append(out, AccessEntry{Node: node, Principal: prin, Kind: kind})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "tblPrincipalRole", err
	}
	rows, err = q.QueryContext(ctx, `SELECT e.scopeNodeID, e.scopePrinID, e.scopeIsDenied
		FROM tblScopePrincipal e JOIN tblNode n ON n.nodeID = e.scopeNodeID
		WHERE n.nodeType = 0 OR n.nodeID = ?`, root)
	if err != nil {
		return nil, "tblScopePrincipal", err
	}
	for rows.Next() {
		var node, prin int32
		var denied bool
		if err := rows.Scan(&node, &prin, &denied); err != nil {
			rows.Close()
			return nil, "tblScopePrincipal", err
		}
		kind := "allowed member"
		if denied {
			kind = "denied member"
		}
		out = append(out, AccessEntry{Node: node, Principal: prin, Kind: kind})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "tblScopePrincipal", err
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
	return out, "", nil
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

// UncarriedWhy says why the entries UncarriedAccess lists are not carried.
const UncarriedWhy = "an archive holds only a category's allowed and denied members and creators, and a room's members, managers and presenters"

// EachNodeAccess calls fn with each node's run of entries, in order:
// UncarriedAccess lists them sorted by node.
func EachNodeAccess(entries []AccessEntry, fn func(node int32, run []AccessEntry)) {
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].Node == entries[i].Node {
			j++
		}
		fn(entries[i].Node, entries[i:j])
		i = j
	}
}

// DescribeAccess describes one node's entries for the export's warning
// and verify's note: counts are the entries counted by kind (in the order
// given), with "granted on the category itself" when onCategory; who are
// up to three principals by uri (a prinID where it has none), then how
// many more.
func DescribeAccess(entries []AccessEntry, uri map[int32]string, onCategory bool) (counts, who string) {
	var cs, ws []string
	for i := 0; i < len(entries); {
		j := i
		for j < len(entries) && entries[j].Kind == entries[i].Kind {
			j++
		}
		kind := entries[i].Kind
		switch {
		case j-i == 1:
		case strings.HasPrefix(kind, "role type "):
			kind = "grants of " + kind
		default:
			kind += "s"
		}
		cs = append(cs, fmt.Sprintf("%d %s", j-i, kind))
		i = j
	}
	for _, e := range entries {
		if len(ws) == 3 {
			ws = append(ws, fmt.Sprintf("and %d more", len(entries)-3))
			break
		}
		name := uri[e.Principal]
		if name == "" {
			name = fmt.Sprintf("prinID %d", e.Principal)
		}
		ws = append(ws, name)
	}
	counts = strings.Join(cs, ", ")
	if onCategory {
		counts += " granted on the category itself"
	}
	return counts, strings.Join(ws, ", ")
}
