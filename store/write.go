package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// ErrNotFound is wrapped when a named object does not exist.
var ErrNotFound = errors.New("not found")

// NewGUID returns a random (version 4) GUID in canonical form.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func nextID(ctx context.Context, q querier, table, col string) (int32, error) {
	var max sql.NullInt32
	if err := q.QueryRowContext(ctx, `SELECT MAX(`+col+`) FROM `+table).Scan(&max); err != nil {
		return 0, err
	}
	return max.Int32 + 1, nil
}

// FindPrincipal returns the ID of the principal with this GUID or, failing
// that, this URI (case-insensitive). ok is false when neither matches.
func (s *Store) FindPrincipal(ctx context.Context, guid, uri string) (id int32, ok bool, err error) {
	err = s.tx(ctx, func(q querier) error {
		id, ok, err = findPrincipal(ctx, q, s.dialect, guid, uri)
		return err
	})
	return id, ok, s.wrap("find principal", err)
}

func findPrincipal(ctx context.Context, q querier, d dialect, guid, uri string) (int32, bool, error) {
	var id int32
	if guid != "" {
		err := q.QueryRowContext(ctx, `SELECT prinID FROM tblPrincipal WHERE `+d.guidIs("prinGuid"), strings.ToLower(guid)).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
	}
	if uri != "" {
		err := q.QueryRowContext(ctx, d.top("prinID", "FROM tblPrincipal WHERE LOWER(prinUri) = ? ORDER BY prinID", 1), strings.ToLower(uri)).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
	}
	return 0, false, nil
}

// EnsurePrincipal returns the ID of the principal matching p (by GUID, then
// URI) and inserts p when none matches, with its self-affiliation (index -1)
// when tblPrincipalAffiliations exists. Existing principals are not changed.
func (s *Store) EnsurePrincipal(ctx context.Context, p pchat.Principal) (id int32, created bool, err error) {
	err = s.write(ctx, fmt.Sprintf("add principal %s", p.URI), func(q querier) error {
		var ok bool
		if id, ok, err = findPrincipal(ctx, q, s.dialect, p.GUID, p.URI); err != nil || ok {
			return err
		}
		if id, err = nextID(ctx, q, "tblPrincipal", "prinID"); err != nil {
			return err
		}
		aff, err := hasTable(ctx, q, s.dialect, "tblPrincipalAffiliations")
		if err != nil {
			return err
		}
		if err := s.insertPrincipal(ctx, q, id, p, aff); err != nil {
			return err
		}
		created = true
		return nil
	})
	return id, created, err
}

// CategoryID finds a category by name (case-insensitive, as the pool's
// name uniqueness is).
func (s *Store) CategoryID(ctx context.Context, name string) (int32, bool, error) {
	return s.nodeID(ctx, 1, name)
}

// RoomID finds a room by name.
func (s *Store) RoomID(ctx context.Context, name string) (int32, bool, error) {
	return s.nodeID(ctx, 0, name)
}

func (s *Store) nodeID(ctx context.Context, nodeType int, name string) (int32, bool, error) {
	// Compared in Go: SQLite's LOWER and NOCASE fold ASCII only, and names
	// are often not ASCII.
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID, nodeName FROM tblNode WHERE nodeType = ? AND nodeID <> ? ORDER BY nodeID`, nodeType, s.root)
	if err != nil {
		return 0, false, s.wrap("find node", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int32
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return 0, false, s.wrap("find node", err)
		}
		if strings.EqualFold(n, name) {
			return id, true, nil
		}
	}
	return 0, false, s.wrap("find node", rows.Err())
}

// CreateCategory inserts a category under the root with its allowed and
// denied members and creators, and returns its nodeID. c.GUID is kept when
// given and free; otherwise a new GUID is made.
func (s *Store) CreateCategory(ctx context.Context, c pchat.Category) (int32, error) {
	var id int32
	err := s.write(ctx, fmt.Sprintf("create category %q", c.Name), func(q querier) error {
		var err error
		inv, logged, files := c.Invitations, c.ChatHistory, c.FileUpload
		id, err = s.insertNode(ctx, q, nodeRow{parent: s.root, guid: c.GUID, name: c.Name, desc: c.Description, isCategory: true,
			invite: sql.NullBool{Bool: inv, Valid: true}, logged: sql.NullBool{Bool: logged, Valid: true},
			filePost: sql.NullBool{Bool: files, Valid: true}, behavior: s.enums.behavior[pchat.Normal],
			visibility: s.enums.visibility[pchat.Open], addedBy: c.AddedBy, addedOn: c.AddedOn, updatedBy: c.UpdatedBy, updatedOn: c.UpdatedOn})
		if err != nil {
			return err
		}
		if _, err := addScopes(ctx, q, id, false, c.AllowedMembers); err != nil {
			return err
		}
		if _, err := addScopes(ctx, q, id, true, c.DeniedMembers); err != nil {
			return err
		}
		_, err = addRoles(ctx, q, id, s.roles.Creator, c.Creators)
		return err
	})
	return id, err
}

// UpdateCategory changes a category's name, description and settings (not
// its lists).
func (s *Store) UpdateCategory(ctx context.Context, c pchat.Category) error {
	return s.write(ctx, fmt.Sprintf("update category %q", c.Name), func(q querier) error {
		return s.updateNode(ctx, q, c.ID, 1, `nodeName = ?, nodeDesc = ?, invite = ?, logged = ?, filePost = ?, nodeUpdatedBy = ?, nodeUpdatedOn = ?`,
			c.Name, c.Description, bit(c.Invitations), bit(c.ChatHistory), bit(c.FileUpload), c.UpdatedBy, c.UpdatedOn)
	})
}

// CreateRoom inserts a room into its category with its members, managers
// and presenters, and returns its nodeID.
func (s *Store) CreateRoom(ctx context.Context, r pchat.Room) (int32, error) {
	var id int32
	err := s.write(ctx, fmt.Sprintf("create room %q", r.Name), func(q querier) error {
		var err error
		n, err := s.roomNode(r)
		if err != nil {
			return err
		}
		if id, err = s.insertNode(ctx, q, n); err != nil {
			return err
		}
		for _, l := range []struct {
			role  int32
			prins []int32
		}{{s.roles.Member, r.Members}, {s.roles.Manager, r.Managers}, {s.roles.Voiced, r.Presenters}} {
			if _, err := addRoles(ctx, q, id, l.role, l.prins); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// UpdateRoom changes a room's settings (not its role lists).
func (s *Store) UpdateRoom(ctx context.Context, r pchat.Room) error {
	return s.write(ctx, fmt.Sprintf("update room %q", r.Name), func(q querier) error {
		n, err := s.roomNode(r)
		if err != nil {
			return err
		}
		return s.updateNode(ctx, q, r.ID, 0, `nodeName = ?, nodeDesc = ?, parentID = ?, invite = ?, disabled = ?, behavior = ?, visibility = ?, siopID = ?, nodeUpdatedBy = ?, nodeUpdatedOn = ?`,
			n.name, n.desc, n.parent, n.invite, bit(n.disabled), n.behavior, n.visibility, n.siop, n.updatedBy, n.updatedOn)
	})
}

func (s *Store) roomNode(r pchat.Room) (nodeRow, error) {
	vis, ok := s.enums.visibility[r.Privacy]
	if !ok {
		return nodeRow{}, fmt.Errorf("room %q: privacy %q: want Open, Closed or Secret", r.Name, r.Privacy)
	}
	beh, ok := s.enums.behavior[r.Type]
	if !ok {
		return nodeRow{}, fmt.Errorf("room %q: type %q: want Normal or Auditorium", r.Name, r.Type)
	}
	if r.CategoryID == 0 || r.CategoryID == s.root {
		return nodeRow{}, fmt.Errorf("room %q: every room must be in a category", r.Name)
	}
	n := nodeRow{parent: r.CategoryID, guid: r.GUID, name: r.Name, desc: r.Description, disabled: r.Disabled,
		behavior: beh, visibility: vis, addedBy: r.AddedBy, addedOn: r.AddedOn, updatedBy: r.UpdatedBy, updatedOn: r.UpdatedOn}
	if b := r.Invitations.InviteColumn(); b != nil {
		n.invite = sql.NullBool{Bool: *b, Valid: true}
	}
	if r.AddinID != "" {
		n.siop = sql.NullString{String: r.AddinID, Valid: true}
	}
	return n, nil
}

func (s *Store) insertNode(ctx context.Context, q querier, n nodeRow) (int32, error) {
	if err := s.CheckNode(n.name, n.desc); err != nil {
		return 0, fmt.Errorf("node %q: %w", n.name, err)
	}
	id, err := nextID(ctx, q, "tblNode", "nodeID")
	if err != nil {
		return 0, err
	}
	if n.guid == "" {
		n.guid = NewGUID()
	} else {
		var taken int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tblNode WHERE `+s.dialect.guidIs("nodeGuid"), strings.ToLower(n.guid)).Scan(&taken); err != nil {
			return 0, err
		}
		if taken > 0 {
			n.guid = NewGUID()
		}
	}
	if n.addedBy == 0 {
		n.addedBy = pchat.SystemUserID
	}
	if n.updatedBy == 0 {
		n.updatedBy = n.addedBy
	}
	if n.updatedOn == 0 {
		n.updatedOn = n.addedOn
	}
	var siop any
	if n.siop.Valid {
		siop = n.siop.String
	}
	err = s.insertWithID(ctx, q, "tblNode", `INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged,
filePost, disabled, behavior, visibility, siopID, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, n.guid, n.parent, bit(n.isCategory), n.name, n.desc, n.invite, n.logged,
		n.filePost, bit(n.disabled), n.behavior, n.visibility, siop, n.addedBy, n.addedOn, n.updatedBy, n.updatedOn)
	return id, err
}

func (s *Store) updateNode(ctx context.Context, q querier, id int32, nodeType int, set string, args ...any) error {
	res, err := q.ExecContext(ctx, `UPDATE tblNode SET `+set+` WHERE nodeID = ? AND nodeType = ?`, append(args, id, nodeType)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, fmt.Errorf("node %d: %w", id, ErrNotFound))
	}
	return nil
}

// AddRoles grants a role (Member, Manager, Voiced, Creator) on a node to
// principals, skipping grants that exist. It returns how many were added.
func (s *Store) AddRoles(ctx context.Context, node int32, role string, prins []int32) (int, error) {
	rt, err := s.roles.ID(role)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.write(ctx, fmt.Sprintf("add %s roles on node %d", role, node), func(q querier) error {
		n, err = addRoles(ctx, q, node, rt, prins)
		return err
	})
	return n, err
}

// RemoveRoles revokes a role on a node from principals.
func (s *Store) RemoveRoles(ctx context.Context, node int32, role string, prins []int32) (int, error) {
	rt, err := s.roles.ID(role)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.write(ctx, fmt.Sprintf("remove %s roles on node %d", role, node), func(q querier) error {
		for _, p := range prins {
			res, err := q.ExecContext(ctx, `DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ? AND prinRolePrinID = ? AND prinRoleTypeID = ?`, node, p, rt)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return nil
	})
	return n, err
}

func addRoles(ctx context.Context, q querier, node, rt int32, prins []int32) (int, error) {
	n := 0
	for _, p := range prins {
		res, err := q.ExecContext(ctx, `INSERT INTO tblPrincipalRole (prinRoleNodeID, prinRolePrinID, prinRoleTypeID, prinRoleUpdatedBy)
SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM tblPrincipalRole WHERE prinRoleNodeID = ? AND prinRolePrinID = ? AND prinRoleTypeID = ?)`,
			node, p, rt, pchat.SystemUserID, node, p, rt)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += int(k)
	}
	return n, nil
}

// AddScopes puts principals on a node's allowed (denied=false) or denied
// list. A principal already on either list of the node keeps its entry
// (tblScopePrincipal holds one row per node and principal); those are
// returned as kept so callers can report them.
func (s *Store) AddScopes(ctx context.Context, node int32, denied bool, prins []int32) (added int, err error) {
	err = s.write(ctx, fmt.Sprintf("add scope entries on node %d", node), func(q querier) error {
		added, err = addScopes(ctx, q, node, denied, prins)
		return err
	})
	return added, err
}

func addScopes(ctx context.Context, q querier, node int32, denied bool, prins []int32) (int, error) {
	n := 0
	for _, p := range prins {
		res, err := q.ExecContext(ctx, `INSERT INTO tblScopePrincipal (scopeNodeID, scopePrinID, scopeIsDenied, scopeUpdatedBy)
SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM tblScopePrincipal WHERE scopeNodeID = ? AND scopePrinID = ?)`,
			node, p, bit(denied), pchat.SystemUserID, node, p)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += int(k)
	}
	return n, nil
}

// EnsureAddin returns the siopID of the add-in with this name, inserting it
// (keeping a.ID when free) when the pool has none.
func (s *Store) EnsureAddin(ctx context.Context, a pchat.Addin) (id string, created bool, err error) {
	if err := s.CheckAddin(a); err != nil {
		return "", false, fmt.Errorf("add-in %q: %w", a.Name, err)
	}
	err = s.write(ctx, fmt.Sprintf("add add-in %q", a.Name), func(q querier) error {
		err := q.QueryRowContext(ctx, s.dialect.top(s.dialect.guid("siopID"), "FROM tblSiopWhiteList WHERE LOWER(siopName) = ? ORDER BY siopName", 1), strings.ToLower(a.Name)).Scan(&id)
		if err == nil {
			id, err = pchat.CanonicalGUID(id)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var taken int
		if a.ID != "" {
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tblSiopWhiteList WHERE `+s.dialect.guidIs("siopID"), strings.ToLower(a.ID)).Scan(&taken); err != nil {
				return err
			}
		}
		id = a.ID
		if id == "" || taken > 0 {
			id = NewGUID()
		}
		created = true
		_, err = q.ExecContext(ctx, `INSERT INTO tblSiopWhiteList (siopID, siopName, siopUrl) VALUES (?, ?, ?)`, id, a.Name, a.URL)
		return err
	})
	return id, created, err
}

// DisableRooms sets tblNode.disabled on rooms that are not disabled yet and
// returns how many changed.
func (s *Store) DisableRooms(ctx context.Context, ids []int32, by int32, at int64) (int, error) {
	n := 0
	err := s.write(ctx, fmt.Sprintf("disable %d rooms", len(ids)), func(q querier) error {
		for _, id := range ids {
			res, err := q.ExecContext(ctx, `UPDATE tblNode SET disabled = 1, nodeUpdatedBy = ?, nodeUpdatedOn = ? WHERE nodeID = ? AND nodeType = 0 AND disabled = 0`, by, at, id)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return nil
	})
	return n, err
}

// DeleteRoom removes a room with its roles, scope entries, invitations,
// messages and chat counter. Administrators remove rooms with
// Remove-CsPersistentChatRoom; pcmig uses this only for its probe room.
func (s *Store) DeleteRoom(ctx context.Context, id int32) error {
	return s.write(ctx, fmt.Sprintf("remove room %d", id), func(q querier) error {
		for _, stmt := range []string{
			`DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ?`,
			`DELETE FROM tblScopePrincipal WHERE scopeNodeID = ?`,
			`DELETE FROM tblChat WHERE channelId = ?`,
			`DELETE FROM tblLastChatId WHERE nodeID = ?`,
		} {
			if _, err := q.ExecContext(ctx, stmt, id); err != nil {
				return err
			}
		}
		if ok, err := hasTable(ctx, q, s.dialect, "tblPrincipalInvites"); err != nil {
			return err
		} else if ok {
			if _, err := q.ExecContext(ctx, `DELETE FROM tblPrincipalInvites WHERE nodeID = ?`, id); err != nil {
				return err
			}
		}
		res, err := q.ExecContext(ctx, `DELETE FROM tblNode WHERE nodeID = ? AND nodeType = 0`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, fmt.Errorf("room %d: %w", id, ErrNotFound))
		}
		return nil
	})
}
