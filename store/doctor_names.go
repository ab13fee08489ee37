package store

import (
	"context"
	"fmt"
	"strconv"
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

// addinNamesSQL lists the add-ins' names: add-in names are unique in a
// pool too (documented), and the import refuses two of one name.
const addinNamesSQL = `SELECT siopName FROM tblSiopWhiteList ORDER BY siopName`

// Kinds of named objects.
const (
	kindRoom = iota
	kindCategory
	kindAddin
)

// namedNode is a category, a room or an add-in, for the names line.
type namedNode struct {
	id     int32 // nodeID; 0 for an add-in
	kind   int
	name   string
	parent string
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
		n.kind = kindRoom
		if typ == 1 {
			n.kind = kindCategory
		}
		if parent != nil {
			n.parent = *parent
		}
		nodes = append(nodes, n)
	}
	if err := rows.Err(); err != nil {
		d.failed("names", err)
		return
	}
	rows.Close()
	addins, err := d.s.q().QueryContext(ctx, addinNamesSQL)
	if err != nil {
		d.failed("names", err)
		return
	}
	defer addins.Close()
	for addins.Next() {
		n := namedNode{kind: kindAddin}
		if err := addins.Scan(&n.name); err != nil {
			d.failed("names", err)
			return
		}
		nodes = append(nodes, n)
	}
	if err := addins.Err(); err != nil {
		d.failed("names", err)
		return
	}
	roomGroups, catGroups := sharedGroups(nodes, kindRoom, d.s.NameKey, nil), sharedGroups(nodes, kindCategory, d.s.NameKey, nil)
	addinGroups := sharedGroups(nodes, kindAddin, d.s.NameKey, nil)
	// The import compares an archive's names as the target does: a
	// case-sensitive source's "Sales" and "sales" are one name to a
	// case-insensitive target, which refuses the archive.
	var inTarget []string
	if t := d.opts.TargetNames; t != nil && d.opts.Role == RoleSource {
		if p := describeShared(sharedGroups(nodes, kindRoom, t.Key, roomGroups), kindRoom); p != "" {
			inTarget = append(inTarget, p)
		}
		if p := describeShared(sharedGroups(nodes, kindCategory, t.Key, catGroups), kindCategory); p != "" {
			inTarget = append(inTarget, p)
		}
		if p := describeShared(sharedGroups(nodes, kindAddin, t.Key, addinGroups), kindAddin); p != "" {
			inTarget = append(inTarget, p)
		}
	}
	if len(roomGroups) == 0 && len(catGroups) == 0 && len(addinGroups) == 0 && len(inTarget) == 0 {
		msg := "every category name and every room name is held once in the pool, and every add-in name, as the database compares names"
		if t := d.opts.TargetNames; t != nil && d.opts.Role == RoleSource {
			msg += fmt.Sprintf(" and as the target does, whose names compare as %s", t.Name)
		}
		d.add(DoctorOK, "names", msg, "")
		return
	}
	// A source whose archive would hold both is refused by every import
	// (after the export, which may disable the exported rooms); a target
	// only merges an archive's object of that name into one of them.
	status, action := DoctorFail, "rename all but one of each (Set-CsPersistentChatRoom -Identity POOL\\NAME -Name, Set-CsPersistentChatCategory, Set-CsPersistentChatAddin) before the export: the import refuses an archive with two of one name"
	if d.opts.Role == RoleTarget {
		status, action = DoctorWarn, "rename all but one of each (Set-CsPersistentChatRoom, Set-CsPersistentChatCategory, Set-CsPersistentChatAddin): an archive's room, category or add-in of that name would be merged into one of them"
	}
	var parts []string
	if p := describeShared(roomGroups, kindRoom); p != "" {
		parts = append(parts, p)
	}
	if p := describeShared(catGroups, kindCategory); p != "" {
		parts = append(parts, p)
	}
	if p := describeShared(addinGroups, kindAddin); p != "" {
		parts = append(parts, p)
	}
	if len(inTarget) > 0 {
		parts = append(parts, fmt.Sprintf("as the target compares names (%s), %s", d.opts.TargetNames.Name, strings.Join(inTarget, "; ")))
	}
	d.add(status, "names", strings.Join(parts, "; "), action)
}

// sharedGroups groups the categories or the rooms by key and returns each
// group of more than one, in nodeID order, leaving out the groups known
// already (another key's groups, by their objects).
func sharedGroups(nodes []namedNode, kind int, key func(string) string, known [][]namedNode) [][]namedNode {
	seen := map[string]bool{}
	for _, g := range known {
		seen[groupID(g)] = true
	}
	by := map[string][]namedNode{}
	var keys []string
	for _, n := range nodes {
		if n.kind != kind {
			continue
		}
		k := key(n.name)
		if len(by[k]) == 0 {
			keys = append(keys, k)
		}
		by[k] = append(by[k], n)
	}
	var shared [][]namedNode
	for _, k := range keys {
		if g := by[k]; len(g) > 1 && !seen[groupID(g)] {
			shared = append(shared, g)
		}
	}
	return shared
}

// groupID names a group by its objects' nodeIDs (add-ins by name).
func groupID(g []namedNode) string {
	ids := make([]string, len(g))
	for i, n := range g {
		ids[i] = strconv.Itoa(int(n.id))
		if n.kind == kindAddin {
			ids[i] = strconv.Quote(n.name)
		}
	}
	return strings.Join(ids, ",")
}

// describeShared describes groups of categories or rooms that share a
// name: how many objects share how many names, then each group (at most
// 10 groups of at most 10 objects each, then how many more); "" for none.
func describeShared(shared [][]namedNode, kind int) string {
	if len(shared) == 0 {
		return ""
	}
	objects := 0
	var groups []string
	for i, g := range shared {
		objects += len(g)
		if i == 10 {
			continue
		}
		var group []string
		for j, n := range g {
			if j == 10 {
				group = append(group, fmt.Sprintf("and %d more", len(g)-10))
				break
			}
			if kind != kindRoom {
				group = append(group, fmt.Sprintf("%q", n.name))
			} else {
				group = append(group, fmt.Sprintf("%q (in %q)", n.name, n.parent))
			}
		}
		groups = append(groups, strings.Join(group, ", "))
	}
	if len(shared) > 10 {
		groups = append(groups, fmt.Sprintf("and %d more", len(shared)-10))
	}
	switch kind {
	case kindCategory:
		return fmt.Sprintf("%s %s: %s", numtext.Count(objects, "category shares", "categories share"),
			numtext.Count(len(shared), "name", "names"), strings.Join(groups, "; "))
	case kindAddin:
		return fmt.Sprintf("%s %s (add-in names are unique in a pool): %s", numtext.Count(objects, "add-in shares", "add-ins share"),
			numtext.Count(len(shared), "name", "names"), strings.Join(groups, "; "))
	}
	return fmt.Sprintf("%s %s (room names are unique in a pool, across categories): %s",
		numtext.Count(objects, "room shares", "rooms share"), numtext.Count(len(shared), "name", "names"), strings.Join(groups, "; "))
}
