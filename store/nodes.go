package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// nodeColumns are the tblNode columns pcmig writes, nodeID first.
var nodeColumns = []column{
	{"nodeID", "int"}, {"nodeGuid", "nvarchar(36)"}, {"parentID", "int"}, {"nodeType", "bit"},
	{"nodeName", "nvarchar(4000)"}, {"nodeDesc", "nvarchar(4000)"}, {"invite", "bit"}, {"logged", "bit"},
	{"filePost", "bit"}, {"disabled", "bit"}, {"behavior", "smallint"}, {"visibility", "smallint"},
	{"siopID", "nvarchar(36)"}, {"nodeAddedBy", "int"}, {"nodeAddedOn", "bigint"}, {"nodeUpdatedBy", "int"},
	{"nodeUpdatedOn", "bigint"},
}

// categoryNode is the tblNode row of a new category, whose behavior and
// visibility are beh and vis (categoryValues).
func (s *Store) categoryNode(c pchat.Category, beh, vis int16) nodeRow {
	return nodeRow{parent: s.root, guid: c.GUID, name: c.Name, desc: c.Description, isCategory: true,
		invite: sql.NullBool{Bool: c.Invitations, Valid: true}, logged: sql.NullBool{Bool: c.ChatHistory, Valid: true},
		filePost: sql.NullBool{Bool: c.FileUpload, Valid: true}, behavior: beh,
		visibility: vis, addedBy: c.AddedBy, addedOn: c.AddedOn, updatedBy: c.UpdatedBy, updatedOn: c.UpdatedOn}
}

// What a category holds in tblNode.behavior and visibility is not
// documented (the columns are NOT NULL; their documented meaning is a
// room's), so a new category takes what the database's server wrote: the
// pair most of its categories under the root hold, else the root's own.
// Only a database whose root holds none of them (unreadable) gets the
// reference's guess, normal and open.

// categoryValuesSQL counts the (behavior, visibility) pairs of the
// categories under the root (both parameters), most held first.
const categoryValuesSQL = `SELECT behavior, visibility, COUNT(*) FROM tblNode WHERE nodeType = 1 AND parentID = ? AND nodeID <> ?
GROUP BY behavior, visibility ORDER BY COUNT(*) DESC, behavior, visibility`

// rootValuesSQL is the root's (the parameter) behavior and visibility.
const rootValuesSQL = `SELECT behavior, visibility FROM tblNode WHERE nodeID = ?`

// categoryValues is the behavior and visibility of a new category.
func (s *Store) categoryValues(ctx context.Context, q querier) (beh, vis int16, err error) {
	rows, err := q.QueryContext(ctx, categoryValuesSQL, s.root, s.root)
	if err != nil {
		return 0, 0, fmt.Errorf("read tblNode: %w", err)
	}
	found := false
	if rows.Next() {
		var n int64
		if err := rows.Scan(&beh, &vis, &n); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("read tblNode: the categories' behavior and visibility: %w", err)
		}
		found = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("read tblNode: %w", err)
	}
	if found {
		return beh, vis, nil
	}
	var b, v sql.NullInt16
	if err := q.QueryRowContext(ctx, rootValuesSQL, s.root).Scan(&b, &v); err != nil {
		return 0, 0, fmt.Errorf("read tblNode: the root's behavior and visibility: %w", err)
	}
	beh, vis = s.enums.behavior[pchat.Normal], s.enums.visibility[pchat.Open]
	if b.Valid {
		beh = b.Int16
	}
	if v.Valid {
		vis = v.Int16
	}
	return beh, vis, nil
}

// values is the row of nodeColumns for n (nodeID included).
func (n nodeRow) values() []any {
	if n.addedBy == 0 {
		n.addedBy = pchat.SystemUserID
	}
	if n.updatedBy == 0 {
		n.updatedBy = n.addedBy
	}
	if n.updatedOn == 0 {
		n.updatedOn = n.addedOn
	}
	nb := func(b sql.NullBool) any {
		if !b.Valid {
			return nil
		}
		return b.Bool
	}
	var siop any
	if n.siop.Valid {
		siop = strings.ToLower(n.siop.String)
	}
	return []any{int64(n.id), n.guid, int64(n.parent), n.isCategory, n.name, n.desc, nb(n.invite), nb(n.logged),
		nb(n.filePost), n.disabled, int64(n.behavior), int64(n.visibility), siop, int64(n.addedBy), n.addedOn,
		int64(n.updatedBy), n.updatedOn}
}

// insertNodes creates the categories, then the rooms (whose parents may be
// those categories), and returns the ID of each node in order.
func (s *Store) insertNodes(ctx context.Context, q querier, nodes []newNode) ([]int32, error) {
	ids := make([]int32, len(nodes))
	if len(nodes) == 0 {
		return ids, nil
	}
	rows := make([]nodeRow, len(nodes))
	var catBeh, catVis int16
	for _, n := range nodes {
		if n.room == nil {
			var err error
			if catBeh, catVis, err = s.categoryValues(ctx, q); err != nil {
				return nil, err
			}
			break
		}
	}
	for k, n := range nodes {
		if n.room == nil {
			rows[k] = s.categoryNode(n.cat, catBeh, catVis)
			continue
		}
		r, err := s.roomNode(*n.room)
		if err != nil {
			return nil, err
		}
		rows[k] = r
	}
	if err := s.freeGUIDs(ctx, q, rows); err != nil {
		return nil, err
	}
	var base int32
	identity := s.identity["tblNode"]
	if !identity {
		var err error
		if base, err = s.allocNodeIDs(ctx, q, len(nodes)); err != nil {
			return nil, err
		}
	}
	// Categories first: rooms name them as parents.
	for _, cats := range []bool{true, false} {
		var idx []int
		for k := range nodes {
			if (nodes[k].room == nil) == cats {
				idx = append(idx, k)
			}
		}
		// In chunks, so that only one chunk's column values are held.
		for len(idx) > 0 {
			part := idx[:min(len(idx), setChunk)]
			idx = idx[len(part):]
			if err := s.insertNodeRows(ctx, q, rows, part, ids, base, identity); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// insertNodeRows inserts rows[k] for each k of idx and sets ids[k]: from
// base + k when the store gives node IDs, from the server when nodeID is
// an identity column.
func (s *Store) insertNodeRows(ctx context.Context, q querier, rows []nodeRow, idx []int, ids []int32, base int32, identity bool) error {
	rs := rowSet{table: "tblNode", cols: nodeColumns, rows: make([][]any, 0, len(idx))}
	for _, k := range idx {
		n := rows[k]
		if n.parent < 0 {
			n.parent = ids[-1-n.parent]
		}
		if !identity {
			n.id = base + int32(k)
			ids[k] = n.id
		}
		rs.rows = append(rs.rows, n.values())
	}
	if !identity {
		_, err := s.dialect.insertSet(ctx, q, rs)
		return err
	}
	rs.cols = nodeColumns[1:]
	for i := range rs.rows {
		rs.rows[i] = rs.rows[i][1:]
	}
	got, err := s.dialect.insertIdentity(ctx, q, rs, "nodeID", "nodeGuid")
	if err != nil {
		return err
	}
	fresh := make([]int32, 0, len(idx))
	for _, k := range idx {
		id, ok := got[strings.ToLower(rows[k].guid)]
		if !ok {
			return fmt.Errorf("insert into tblNode: the server returned no ID for node %q", rows[k].name)
		}
		ids[k] = id
		fresh = append(fresh, id)
	}
	return s.checkNewNodeIDs(ctx, q, fresh)
}

// freeGUIDs gives every node a GUID no other node has: a requested GUID is
// kept when it is free, in the database and among the new nodes.
func (s *Store) freeGUIDs(ctx context.Context, q querier, rows []nodeRow) error {
	var asked []string
	for _, n := range rows {
		if n.guid != "" {
			asked = append(asked, strings.ToLower(n.guid))
		}
	}
	taken, err := s.takenGUIDs(ctx, q, "tblNode", "nodeGuid", asked)
	if err != nil {
		return err
	}
	for k := range rows {
		g := strings.ToLower(rows[k].guid)
		if g == "" || taken[g] {
			g = NewGUID()
		}
		taken[g] = true
		rows[k].guid = g
	}
	return nil
}

// takenGUIDs returns which of the lower-case GUIDs a GUID column holds.
func (s *Store) takenGUIDs(ctx context.Context, q querier, table, col string, guids []string) (map[string]bool, error) {
	taken := map[string]bool{}
	if len(guids) == 0 {
		return taken, nil
	}
	if s.dialect.name() == "sqlite" {
		// In-process: one pass over the column, whatever case it holds.
		rows, err := q.QueryContext(ctx, `SELECT LOWER(`+col+`) FROM `+table)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		want := make(map[string]bool, len(guids))
		for _, g := range guids {
			want[g] = true
		}
		for rows.Next() {
			var g string
			if err := rows.Scan(&g); err != nil {
				return nil, err
			}
			if want[g] {
				taken[g] = true
			}
		}
		return taken, rows.Err()
	}
	for len(guids) > 0 {
		chunk := guids[:min(len(guids), inBuckets[len(inBuckets)-1])]
		guids = guids[len(chunk):]
		list := make([]any, 0, len(chunk))
		for _, g := range chunk {
			list = append(list, g)
		}
		list = padAny(list)
		marks := strings.TrimSuffix(strings.Repeat("CONVERT(uniqueidentifier, ?),", len(list)), ",")
		// Update range locks held to the end of the write (UPDLOCK,
		// HOLDLOCK): another session cannot insert one of these GUIDs
		// between this read and pcmig's insert (a duplicate key on
		// nodeGuid, which is UNIQUE); it waits, or pcmig does.
		rows, err := q.QueryContext(ctx, `SELECT `+s.dialect.guid(col)+` FROM `+table+s.dialect.lockHint()+` WHERE `+col+` IN (`+marks+`)`, list...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var g string
			if err := rows.Scan(&g); err != nil {
				rows.Close()
				return nil, err
			}
			taken[strings.ToLower(g)] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return taken, nil
}

// padAny pads a non-empty argument list with its last value to a bucket
// length (see inBuckets).
func padAny(list []any) []any {
	n := inBucket(len(list))
	for len(list) < n {
		list = append(list, list[len(list)-1])
	}
	return list
}
