package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// Principals lists every tblPrincipal row in prinID order.
func (s *Store) Principals(ctx context.Context) ([]pchat.Principal, error) {
	d := s.dialect
	rows, err := s.q().QueryContext(ctx, `SELECT prinID, `+d.guid("prinGuid")+`, prinUri, prinName, prinDisplayName,
prinCompanyName, prinEmail, prinADPath, prinADUserPrincipalName, prinDisabled, prinTypeID, prinPoolID, prinPolicyID,
prinAddedBy, prinAddedOn, prinUpdatedBy, prinUpdatedOn, prinVerifiedOn FROM tblPrincipal ORDER BY prinID`)
	if err != nil {
		return nil, s.wrap("read tblPrincipal", err)
	}
	defer rows.Close()
	var out []pchat.Principal
	for rows.Next() {
		var p pchat.Principal
		var guid string
		var name, disp, comp, mail, path, upn sql.NullString
		var pool, policy, addedBy, updatedBy sql.NullInt32
		var verified any
		if err := rows.Scan(&p.ID, &guid, &p.URI, &name, &disp, &comp, &mail, &path, &upn, &p.State, &p.Type,
			&pool, &policy, &addedBy, &p.AddedOn, &updatedBy, &p.UpdatedOn, &verified); err != nil {
			return nil, s.wrap("read tblPrincipal", err)
		}
		if p.GUID, err = canonGUID(fmt.Sprintf("tblPrincipal.prinGuid of prinID %d", p.ID), guid); err != nil {
			return nil, s.wrap("read tblPrincipal", err)
		}
		p.Name, p.DisplayName, p.CompanyName, p.Email, p.ADPath, p.UPN = name.String, disp.String, comp.String, mail.String, path.String, upn.String
		p.PoolID, p.PolicyID, p.AddedBy, p.UpdatedBy = ptrInt32(pool), ptrInt32(policy), ptrInt32(addedBy), ptrInt32(updatedBy)
		if p.VerifiedOn, _, err = parseDateTime(verified); err != nil {
			return nil, s.wrap(fmt.Sprintf("read tblPrincipal.prinVerifiedOn of prinID %d", p.ID), err)
		}
		out = append(out, p)
	}
	return out, s.wrap("read tblPrincipal", rows.Err())
}

// Addins lists tblSiopWhiteList in name order.
func (s *Store) Addins(ctx context.Context) ([]pchat.Addin, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT `+s.dialect.guid("siopID")+`, siopName, siopUrl FROM tblSiopWhiteList ORDER BY siopName`)
	if err != nil {
		return nil, s.wrap("read tblSiopWhiteList", err)
	}
	defer rows.Close()
	var out []pchat.Addin
	for rows.Next() {
		var a pchat.Addin
		if err := rows.Scan(&a.ID, &a.Name, &a.URL); err != nil {
			return nil, s.wrap("read tblSiopWhiteList", err)
		}
		if a.ID, err = canonGUID("tblSiopWhiteList.siopID", a.ID); err != nil {
			return nil, s.wrap("read tblSiopWhiteList", err)
		}
		out = append(out, a)
	}
	return out, s.wrap("read tblSiopWhiteList", rows.Err())
}

type nodeRow struct {
	id, parent               int32
	guid, name, desc         string
	isCategory               bool
	invite, logged, filePost sql.NullBool
	disabled                 bool
	behavior, visibility     int16
	siop                     sql.NullString
	addedBy, updatedBy       int32
	addedOn, updatedOn       int64
}

func (s *Store) nodes(ctx context.Context, where string, args ...any) ([]nodeRow, error) {
	d := s.dialect
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID, `+d.guid("nodeGuid")+`, parentID, nodeType, nodeName, nodeDesc,
invite, logged, filePost, disabled, behavior, visibility, `+d.guid("siopID")+`, nodeAddedBy, nodeAddedOn,
nodeUpdatedBy, nodeUpdatedOn FROM tblNode WHERE nodeID <> ? `+where+` ORDER BY nodeID`, append([]any{s.root}, args...)...)
	if err != nil {
		return nil, s.wrap("read tblNode", err)
	}
	defer rows.Close()
	var out []nodeRow
	for rows.Next() {
		var n nodeRow
		var parent sql.NullInt32
		if err := rows.Scan(&n.id, &n.guid, &parent, &n.isCategory, &n.name, &n.desc, &n.invite, &n.logged, &n.filePost,
			&n.disabled, &n.behavior, &n.visibility, &n.siop, &n.addedBy, &n.addedOn, &n.updatedBy, &n.updatedOn); err != nil {
			return nil, s.wrap("read tblNode", err)
		}
		n.parent = parent.Int32
		if n.guid, err = canonGUID(fmt.Sprintf("tblNode.nodeGuid of node %d", n.id), n.guid); err != nil {
			return nil, s.wrap("read tblNode", err)
		}
		if n.siop.Valid {
			if n.siop.String, err = canonGUID(fmt.Sprintf("tblNode.siopID of node %d", n.id), n.siop.String); err != nil {
				return nil, s.wrap("read tblNode", err)
			}
		}
		out = append(out, n)
	}
	return out, s.wrap("read tblNode", rows.Err())
}

// roleMap is node -> role type -> principals.
type roleMap map[int32]map[int32][]int32

// roleRows reads tblPrincipalRole; with types, only the rows of those role
// types (Categories needs the creators only, a few hundred of a large
// pool's hundreds of thousands of rows). Each node's list of a role type
// is in prinID order. The rows come in primary-key order (node, principal,
// type), which gives each list that order without a sort; the IDs are
// scanned as int64 (database/sql converts an integer to an int32 through
// its decimal text) and each node's map is kept while its rows come.
func (s *Store) roleRows(ctx context.Context, types ...int32) (roleMap, error) {
	where, args := "", []any{}
	if len(types) > 0 {
		where = " WHERE prinRoleTypeID IN (?" + strings.Repeat(", ?", len(types)-1) + ")"
		for _, t := range types {
			args = append(args, t)
		}
	}
	rows, err := s.q().QueryContext(ctx, `SELECT prinRoleNodeID, prinRoleTypeID, prinRolePrinID FROM tblPrincipalRole`+where+` ORDER BY prinRoleNodeID, prinRolePrinID, prinRoleTypeID`, args...)
	if err != nil {
		return nil, s.wrap("read tblPrincipalRole", err)
	}
	defer rows.Close()
	m := roleMap{}
	var cur map[int32][]int32
	curNode := int64(-1) << 40 // no node's ID
	for rows.Next() {
		var node, typ, prin int64
		if err := rows.Scan(&node, &typ, &prin); err != nil {
			return nil, s.wrap("read tblPrincipalRole", err)
		}
		if !fitsInt32(node) || !fitsInt32(typ) || !fitsInt32(prin) {
			return nil, s.wrap("read tblPrincipalRole", fmt.Errorf("a row's prinRoleNodeID, prinRoleTypeID or prinRolePrinID is outside int's range"))
		}
		if cur == nil || node != curNode {
			if cur = m[int32(node)]; cur == nil {
				cur = map[int32][]int32{}
				m[int32(node)] = cur
			}
			curNode = node
		}
		cur[int32(typ)] = append(cur[int32(typ)], int32(prin))
	}
	return m, s.wrap("read tblPrincipalRole", rows.Err())
}

// fitsInt32 reports whether v is an int column's value.
func fitsInt32(v int64) bool { return v == int64(int32(v)) }

type scopeLists struct{ allowed, denied []int32 }

func (s *Store) scopeRows(ctx context.Context) (map[int32]*scopeLists, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT scopeNodeID, scopePrinID, scopeIsDenied FROM tblScopePrincipal ORDER BY scopeNodeID, scopePrinID`)
	if err != nil {
		return nil, s.wrap("read tblScopePrincipal", err)
	}
	defer rows.Close()
	m := map[int32]*scopeLists{}
	for rows.Next() {
		var node, prin int32
		var denied bool
		if err := rows.Scan(&node, &prin, &denied); err != nil {
			return nil, s.wrap("read tblScopePrincipal", err)
		}
		if m[node] == nil {
			m[node] = &scopeLists{}
		}
		if denied {
			m[node].denied = append(m[node].denied, prin)
		} else {
			m[node].allowed = append(m[node].allowed, prin)
		}
	}
	return m, s.wrap("read tblScopePrincipal", rows.Err())
}

// Categories lists every category (nodeType 1 under the root) with its
// allowed and denied members and creators, in name order.
func (s *Store) Categories(ctx context.Context) ([]pchat.Category, error) {
	nodes, err := s.nodes(ctx, `AND nodeType = 1`)
	if err != nil {
		return nil, err
	}
	roles, err := s.roleRows(ctx, s.roles.Creator)
	if err != nil {
		return nil, err
	}
	scopes, err := s.scopeRows(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]pchat.Category, 0, len(nodes))
	for _, n := range nodes {
		c := pchat.Category{ID: n.id, GUID: n.guid, Name: n.name, Description: n.desc,
			Invitations: n.invite.Bool, FileUpload: n.filePost.Bool, ChatHistory: n.logged.Bool,
			Creators: roles[n.id][s.roles.Creator],
			AddedBy:  n.addedBy, AddedOn: n.addedOn, UpdatedBy: n.updatedBy, UpdatedOn: n.updatedOn}
		if sc := scopes[n.id]; sc != nil {
			c.AllowedMembers, c.DeniedMembers = sc.allowed, sc.denied
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// CategoryParents gives each category's parent node (tblNode.parentID, 0
// for NULL), by category nodeID: the root for every category where
// Persistent Chat keeps it (one level of categories under the root).
func (s *Store) CategoryParents(ctx context.Context) (map[int32]int32, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID, parentID FROM tblNode WHERE nodeType = 1 AND nodeID <> ?`, s.root)
	if err != nil {
		return nil, s.wrap("read tblNode", err)
	}
	defer rows.Close()
	out := map[int32]int32{}
	for rows.Next() {
		var id int32
		var parent sql.NullInt32
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, s.wrap("read tblNode", err)
		}
		out[id] = parent.Int32
	}
	return out, s.wrap("read tblNode", rows.Err())
}

// Rooms lists every room (nodeType 0) with its role lists, in name order.
func (s *Store) Rooms(ctx context.Context) ([]pchat.Room, error) {
	nodes, err := s.nodes(ctx, `AND nodeType = 0`)
	if err != nil {
		return nil, err
	}
	roles, err := s.roleRows(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]pchat.Room, 0, len(nodes))
	for _, n := range nodes {
		r := pchat.Room{ID: n.id, GUID: n.guid, Name: n.name, Description: n.desc, CategoryID: n.parent,
			Disabled: n.disabled, AddinID: n.siop.String,
			Members: roles[n.id][s.roles.Member], Managers: roles[n.id][s.roles.Manager], Presenters: roles[n.id][s.roles.Voiced],
			AddedBy: n.addedBy, AddedOn: n.addedOn, UpdatedBy: n.updatedBy, UpdatedOn: n.updatedOn}
		var inv *bool
		if n.invite.Valid {
			inv = &n.invite.Bool
		}
		r.Invitations = pchat.InvitationsFromColumn(inv)
		if r.Privacy, err = s.enums.privacy(n.visibility); err != nil {
			return nil, s.wrap(fmt.Sprintf("read room %q (nodeID %d)", n.name, n.id), err)
		}
		if r.Type, err = s.enums.roomType(n.behavior); err != nil {
			return nil, s.wrap(fmt.Sprintf("read room %q (nodeID %d)", n.name, n.id), err)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// RootGUID is the root node's nodeGuid. Every node of tblNode, the root
// included, has a GUID of its own: an import must not give one of them to
// a new category or room.
func (s *Store) RootGUID(ctx context.Context) (string, error) {
	var g string
	err := s.q().QueryRowContext(ctx, `SELECT `+s.dialect.guid("nodeGuid")+` FROM tblNode WHERE nodeID = ?`, s.root).Scan(&g)
	if err != nil {
		return "", s.wrap("read tblNode", err)
	}
	g, err = canonGUID(fmt.Sprintf("tblNode.nodeGuid of node %d", s.root), g)
	return g, s.wrap("read tblNode", err)
}

// PoolID is tblConfig's configPoolID ("" when the table or row is absent):
// the unique ID of the database instance.
func (s *Store) PoolID(ctx context.Context) (string, error) {
	if !s.optional["tblConfig"] {
		return "", nil
	}
	var id sql.NullString
	err := s.q().QueryRowContext(ctx, `SELECT MIN(`+s.dialect.guid("configPoolID")+`) FROM tblConfig`).Scan(&id)
	if err != nil {
		return "", s.wrap("read tblConfig", err)
	}
	if !id.Valid {
		return "", nil
	}
	g, err := canonGUID("tblConfig.configPoolID", id.String)
	return g, s.wrap("read tblConfig", err)
}
