package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// The doctor's lines for what an export of a source refuses or leaves
// out, found before the maintenance window rather than at step 1: a
// principal whose type an archive cannot hold (the export refuses the
// pool), and a room in no category (the export leaves it and its history
// out). Lines only when there is something to say.

// exportTypesSQL counts the principals of each type an archive cannot
// hold: it holds SystemUser (4), User (5), DC (8), Group (9) and Folder
// (10); tblPrincipalType documents Any, AnyUser and AnyGroup (1 to 3) as
// never stored, and other IDs are undocumented.
const exportTypesSQL = `SELECT prinTypeID, COUNT(*) FROM tblPrincipal WHERE prinTypeID NOT IN (4, 5, 8, 9, 10) GROUP BY prinTypeID ORDER BY prinTypeID`

// noCategorySQL lists the rooms whose parent is not a category: missing,
// a room, or the root (the parameter).
const noCategorySQL = `SELECT n.nodeID, n.nodeName, n.parentID FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID
WHERE n.nodeType = 0 AND (p.nodeID IS NULL OR p.nodeType = 0 OR p.nodeID = ?) ORDER BY n.nodeID`

// exportable runs the export's lines for a source.
func (d *doctorRun) exportable(ctx context.Context) {
	if d.opts.Role != RoleSource {
		return
	}
	types, err := idCounts(ctx, d.s.q(), exportTypesSQL)
	if err != nil {
		d.failed("principals", err)
	} else if len(types) > 0 {
		var total int64
		parts := make([]string, 0, len(types))
		for _, c := range types {
			total += c.n
			parts = append(parts, fmt.Sprintf("prinTypeID %d (%s)", c.id, numtext.Count(c.n, "principal", "principals")))
		}
		d.add(DoctorFail, "principals", fmt.Sprintf("%s of a type an archive cannot hold: %s", numtext.Count(int(total), "principal is", "principals are"), strings.Join(parts, ", ")),
			"the export refuses the pool, naming each row: an archive holds SystemUser, User, Group, Folder and DC principals (tblPrincipalType documents Any, AnyUser and AnyGroup as never stored); correct or remove the rows after a backup")
	}
	d.principalURIControls(ctx)
	root, err := findRoot(ctx, d.s.q())
	if err != nil {
		return // the root line said so
	}
	d.exportRefused(ctx, root)
	d.categoryNulls(ctx, root)
	d.categoriesDisabled(ctx, root)
	d.roomCategorySettings(ctx)
	d.roomInvitations(ctx)
	rows, err := d.s.q().QueryContext(ctx, noCategorySQL, root)
	if err != nil {
		d.failed("rooms", err)
		return
	}
	defer rows.Close()
	var rooms []string
	n := 0
	for rows.Next() {
		var id int64
		var name string
		var parent *int64
		if err := rows.Scan(&id, &name, &parent); err != nil {
			d.failed("rooms", err)
			return
		}
		n++
		if len(rooms) < 10 {
			in := "no parent"
			if parent != nil {
				in = fmt.Sprintf("parent node %d", *parent)
			}
			rooms = append(rooms, fmt.Sprintf("%q (node %d, %s)", name, id, in))
		}
	}
	if err := rows.Err(); err != nil {
		d.failed("rooms", err)
		return
	}
	if n == 0 {
		return
	}
	d.add(DoctorWarn, "rooms", fmt.Sprintf("%s in no category (Persistent Chat keeps every room in one): %s", numtext.Count(n, "room is", "rooms are"), numtext.Listed(rooms, n, ", ")),
		"no export carries such a room or its history (the export warns, and a reconciliation names it without comparing it): move it into a category (Set-CsPersistentChatRoom -Identity POOL\\NAME -Category CATEGORY) before the export")
}
