package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// The doctor's names line: category names are unique in a pool
// (documented), and so are room names, across categories (inferred from
// a room's documented identity, POOL\NAME). The import refuses an archive
// that holds two of one name, as the target compares names; the doctor
// names them before anything is exported, as this database compares them
// (its collation: case, trailing spaces).

// namesSQL lists the categories and rooms with their categories' names.
// A category is a node of nodeType other than 0, as the readers take it
// (nodeType is a bit on SQL Server: the CASE makes it a number).
const namesSQL = `SELECT n.nodeID, CASE WHEN n.nodeType = 0 THEN 0 ELSE 1 END, n.nodeName, p.nodeName
FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID WHERE n.nodeID <> n.parentID ORDER BY n.nodeID`

// namedNode is a category or a room, for the names line.
type namedNode struct {
	id       int32
	category bool
	name     string
	parent   string
}

func (d *doctorRun) names(ctx context.Context) {
	rows, err := d.s.q().QueryContext(ctx, namesSQL)
	if err != nil {
		d.failed("names", err)
		return
	}
	defer rows.Close()
	var nodes []namedNode
	for rows.Next() {
		var n namedNode
		var typ int64
		var parent *string
		if err := rows.Scan(&n.id, &typ, &n.name, &parent); err != nil {
			d.failed("names", err)
			return
		}
		n.category = typ == 1
		if parent != nil {
			n.parent = *parent
		}
		nodes = append(nodes, n)
	}
	if err := rows.Err(); err != nil {
		d.failed("names", err)
		return
	}
	rooms, rnames, rn := sharedNames(d.s, nodes, false)
	cats, cnames, cn := sharedNames(d.s, nodes, true)
	if len(rooms) == 0 && len(cats) == 0 {
		d.add(DoctorOK, "names", "every category name and every room name is held once in the pool, as the database compares names", "")
		return
	}
	// A source whose archive would hold both is refused by every import
	// (after the export, which may disable the exported rooms); a target
	// only merges an archive's object of that name into one of them.
	status, action := DoctorFail, "rename all but one of each (Set-CsPersistentChatRoom -Identity POOL\\NAME -Name, Set-CsPersistentChatCategory) before the export: the import refuses an archive with two of one name"
	if d.opts.Role == RoleTarget {
		status, action = DoctorWarn, "rename all but one of each (Set-CsPersistentChatRoom, Set-CsPersistentChatCategory): an archive's room or category of that name would be merged into one of them"
	}
	var parts []string
	if len(rooms) > 0 {
		parts = append(parts, fmt.Sprintf("%s %s (room names are unique in a pool, across categories): %s",
			numtext.Count(rn, "room shares", "rooms share"), numtext.Count(rnames, "name", "names"), strings.Join(rooms, "; ")))
	}
	if len(cats) > 0 {
		parts = append(parts, fmt.Sprintf("%s %s: %s",
			numtext.Count(cn, "category shares", "categories share"), numtext.Count(cnames, "name", "names"), strings.Join(cats, "; ")))
	}
	d.add(status, "names", strings.Join(parts, "; "), action)
}

// sharedNames groups the categories or the rooms by the database's name
// key and describes each group of more than one, in nodeID order (at most
// 10 groups of at most 10 objects each, then how many more), with how many names are shared and how
// many objects share them.
func sharedNames(s *Store, nodes []namedNode, categories bool) (groups []string, names, objects int) {
	by := map[string][]namedNode{}
	var keys []string
	for _, n := range nodes {
		if n.category != categories {
			continue
		}
		k := s.NameKey(n.name)
		if len(by[k]) == 0 {
			keys = append(keys, k)
		}
		by[k] = append(by[k], n)
	}
	var shared []string
	for _, k := range keys {
		if len(by[k]) > 1 {
			shared = append(shared, k)
			objects += len(by[k])
		}
	}
	names = len(shared)
	for i, k := range shared {
		if i == 10 {
			groups = append(groups, fmt.Sprintf("and %d more", len(shared)-10))
			break
		}
		var group []string
		for j, n := range by[k] {
			if j == 10 {
				group = append(group, fmt.Sprintf("and %d more", len(by[k])-10))
				break
			}
			if categories {
				group = append(group, fmt.Sprintf("%q", n.name))
			} else {
				group = append(group, fmt.Sprintf("%q (in %q)", n.name, n.parent))
			}
		}
		groups = append(groups, strings.Join(group, ", "))
	}
	return groups, names, objects
}
