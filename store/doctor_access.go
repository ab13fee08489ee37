package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// The doctor's lines for role grants (tblPrincipalRole) and allowed/denied
// entries (tblScopePrincipal) that no export carries: those of nodes that
// are not in tblNode (left over from removed nodes; any database), and, for
// a source, those pcmig's model has no place for (UncarriedAccess: roles
// granted on a category itself or on the root, a room's creators or
// allowed/denied members, role types other than the four), which the
// export leaves behind, naming each node.

const (
	rolesWithoutNodeSQL  = `SELECT g.prinRoleNodeID, COUNT(*) FROM tblPrincipalRole g WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = g.prinRoleNodeID) GROUP BY g.prinRoleNodeID ORDER BY g.prinRoleNodeID`
	scopesWithoutNodeSQL = `SELECT e.scopeNodeID, COUNT(*) FROM tblScopePrincipal e WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = e.scopeNodeID) GROUP BY e.scopeNodeID ORDER BY e.scopeNodeID`
)

// entriesWithoutNode warns of grants and entries whose node is not in
// tblNode.
func (d *doctorRun) entriesWithoutNode(ctx context.Context) {
	roles, err := idCounts(ctx, d.s.q(), rolesWithoutNodeSQL)
	if err != nil {
		d.failed("role entries", err)
		return
	}
	scopes, err := idCounts(ctx, d.s.q(), scopesWithoutNodeSQL)
	if err != nil {
		d.failed("role entries", err)
		return
	}
	byNode := map[int64]int64{}
	for _, c := range append(roles, scopes...) {
		byNode[c.id] += c.n
	}
	if len(byNode) == 0 {
		return
	}
	gone := make([]idCount, 0, len(byNode))
	for id, n := range byNode {
		gone = append(gone, idCount{id: id, n: n})
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].id < gone[j].id })
	d.add(DoctorWarn, "role entries", fmt.Sprintf("%s %s not in tblNode: %s",
		numtext.Count(total(gone), "role or allowed/denied entry names", "role or allowed/denied entries name"),
		numtext.Count(len(gone), "nodeID", "nodeIDs"), listIDs(gone, "entry", "entries")),
		"left over from removed categories or rooms: no export carries them (they belong to no category or room); remove them after a backup if you wish")
}

// uncarriedAccessLine names, for a source, the nodes whose grants or
// entries an archive has no place for.
func (d *doctorRun) uncarriedAccessLine(ctx context.Context, root int32) {
	if d.opts.Role != RoleSource {
		return
	}
	q := d.s.q()
	r, err := loadRoleTypes(ctx, q)
	if err != nil {
		return // the roles line said so
	}
	entries, _, err := uncarriedAccess(ctx, q, r, root)
	if err != nil {
		d.failed("uncarried roles", err)
		return
	}
	if len(entries) == 0 {
		return
	}
	type node struct {
		id    int32
		kinds []string
		count map[string]int
	}
	var nodes []*node
	for _, e := range entries {
		if len(nodes) == 0 || nodes[len(nodes)-1].id != e.Node {
			nodes = append(nodes, &node{id: e.Node, count: map[string]int{}})
		}
		n := nodes[len(nodes)-1]
		if n.count[e.Kind] == 0 {
			n.kinds = append(n.kinds, e.Kind)
		}
		n.count[e.Kind]++
	}
	shown := nodes
	if len(shown) > 10 {
		shown = shown[:10]
	}
	names, err := d.nodeNames(ctx, shown[0].id, shown[len(shown)-1].id)
	if err != nil {
		d.failed("uncarried roles", err)
		return
	}
	parts := make([]string, 0, len(shown))
	for _, n := range shown {
		counts := make([]string, 0, len(n.kinds))
		for _, k := range n.kinds {
			counts = append(counts, numtext.Count(n.count[k], k, plural(k)))
		}
		what := fmt.Sprintf("nodeID %d", n.id)
		if n.id == root {
			what = fmt.Sprintf("root node %d", n.id)
		} else if nm, ok := names[n.id]; ok {
			what = fmt.Sprintf("%s %q (nodeID %d)", nm.kind, textwidth.Shorten(nm.name), n.id)
		}
		parts = append(parts, what+": "+strings.Join(counts, ", "))
	}
	d.add(DoctorWarn, "uncarried roles", fmt.Sprintf("%s role grants or allowed/denied entries an archive has no place for: %s",
		numtext.Count(len(nodes), "node holds", "nodes hold"), numtext.Listed(parts, len(nodes), "; ")),
		"an archive holds a category's allowed and denied members and creators, and a room's members, managers and presenters: the export leaves these behind and names each node it exports; grant them in the target after the import if they are wanted")
}

// plural is the plural of an entry kind ("role type 9" has none of its own).
func plural(kind string) string {
	if strings.HasPrefix(kind, "role type ") {
		return "grants of " + kind
	}
	return kind + "s"
}

type nodeName struct{ name, kind string }

// nodeNames reads the names and kinds of the nodes from lo to hi.
func (d *doctorRun) nodeNames(ctx context.Context, lo, hi int32) (map[int32]nodeName, error) {
	rows, err := d.s.q().QueryContext(ctx, `SELECT nodeID, nodeName, CASE WHEN nodeType = 0 THEN 0 ELSE 1 END FROM tblNode WHERE nodeID BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int32]nodeName{}
	for rows.Next() {
		var id int32
		var name string
		var typ int64
		if err := rows.Scan(&id, &name, &typ); err != nil {
			return nil, err
		}
		kind := "category"
		if typ == 0 {
			kind = "room"
		}
		out[id] = nodeName{name: name, kind: kind}
	}
	return out, rows.Err()
}
