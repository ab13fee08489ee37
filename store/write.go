package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
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

// FindPrincipal returns the ID of the principal with this GUID or, failing
// that, this URI (compared as the database's collation compares it on SQL
// Server, without ASCII case in the embedded store). ok is false when
// neither matches. Both lookups are index seeks.
func (s *Store) FindPrincipal(ctx context.Context, guid, uri string) (id int32, ok bool, err error) {
	q := s.q()
	if guid != "" {
		err := q.QueryRowContext(ctx, `SELECT prinID FROM tblPrincipal WHERE `+s.dialect.guidIs("prinGuid"), strings.ToLower(guid)).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, s.wrap("find principal", err)
		}
	}
	if uri != "" {
		cond := "prinUri = ?"
		if s.dialect.name() == "sqlite" {
			cond = "prinUri = ? COLLATE NOCASE"
		}
		err := q.QueryRowContext(ctx, s.dialect.top("prinID", "FROM tblPrincipal WHERE "+cond+" ORDER BY prinID", 1), uri).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, s.wrap("find principal", err)
		}
	}
	return 0, false, nil
}

// EnsurePrincipal returns the ID of the principal matching p (by GUID, or
// by URI when p has no GUID) and inserts p when none matches, with its self-affiliation (index -1)
// when tblPrincipalAffiliations exists. Existing principals are not changed.
// EnsurePrincipals does the same for many at once.
func (s *Store) EnsurePrincipal(ctx context.Context, p pchat.Principal) (id int32, created bool, err error) {
	ids, n, err := s.EnsurePrincipals(ctx, []pchat.Principal{p})
	if err != nil {
		return 0, false, err
	}
	return ids[0], n == 1, nil
}

// CategoryID finds a category by name, compared as the database compares
// names (Store.NameKey).
func (s *Store) CategoryID(ctx context.Context, name string) (int32, bool, error) {
	return s.nodeID(ctx, 1, name)
}

// RoomID finds a room by name.
func (s *Store) RoomID(ctx context.Context, name string) (int32, bool, error) {
	return s.nodeID(ctx, 0, name)
}

func (s *Store) nodeID(ctx context.Context, nodeType int, name string) (int32, bool, error) {
	// Compared in Go by the collation's key (Store.NameKey): SQLite's
	// LOWER and NOCASE fold ASCII only, and names are often not ASCII.
	key := s.NameKey(name)
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
		if s.NameKey(n) == key {
			return id, true, nil
		}
	}
	return 0, false, s.wrap("find node", rows.Err())
}

// CreateCategory inserts a category under the root with its allowed and
// denied members and creators, and returns its nodeID. c.GUID is kept when
// given and free; otherwise a new GUID is made.
func (s *Store) CreateCategory(ctx context.Context, c pchat.Category) (int32, error) {
	var ch Changes
	ref := ch.Category(c)
	a, err := s.Apply(ctx, &ch)
	if err != nil {
		return 0, err
	}
	return a.ID(ref), nil
}

// UpdateCategory changes a category's name, description and settings (not
// its lists).
func (s *Store) UpdateCategory(ctx context.Context, c pchat.Category) error {
	if err := s.CheckNode(c.Name, c.Description); err != nil {
		return fmt.Errorf("category %q: %w", c.Name, err)
	}
	return s.write(ctx, fmt.Sprintf("update category %q", c.Name), func(q querier) error {
		return s.updateNode(ctx, q, c.ID, 1, `nodeName = ?, nodeDesc = ?, invite = ?, logged = ?, filePost = ?, nodeUpdatedBy = ?, nodeUpdatedOn = ?`,
			c.Name, c.Description, bit(c.Invitations), bit(c.ChatHistory), bit(c.FileUpload), c.UpdatedBy, c.UpdatedOn)
	})
}

// UpdateCategoryFrom changes a category from before to c as
// UpdateCategory does, writing each of its three settings only when c
// changes it: a setting the database holds as NULL (read as off) is left
// NULL when an update leaves it off, not written as 0.
func (s *Store) UpdateCategoryFrom(ctx context.Context, before, c pchat.Category) error {
	if err := s.CheckNode(c.Name, c.Description); err != nil {
		return fmt.Errorf("category %q: %w", c.Name, err)
	}
	set := `nodeName = ?, nodeDesc = ?`
	args := []any{c.Name, c.Description}
	for _, x := range []struct {
		column  string
		was, is bool
	}{{"invite", before.Invitations, c.Invitations}, {"logged", before.ChatHistory, c.ChatHistory}, {"filePost", before.FileUpload, c.FileUpload}} {
		if x.was != x.is {
			set += ", " + x.column + " = ?"
			args = append(args, bit(x.is))
		}
	}
	set += `, nodeUpdatedBy = ?, nodeUpdatedOn = ?`
	args = append(args, c.UpdatedBy, c.UpdatedOn)
	return s.write(ctx, fmt.Sprintf("update category %q", c.Name), func(q querier) error {
		return s.updateNode(ctx, q, c.ID, 1, set, args...)
	})
}

// CreateRoom inserts a room into its category with its members, managers
// and presenters, and returns its nodeID.
func (s *Store) CreateRoom(ctx context.Context, r pchat.Room) (int32, error) {
	var ch Changes
	ref := ch.Room(r)
	a, err := s.Apply(ctx, &ch)
	if err != nil {
		return 0, err
	}
	return a.ID(ref), nil
}

// UpdateRoom changes a room's settings (not its role lists).
func (s *Store) UpdateRoom(ctx context.Context, r pchat.Room) error {
	if err := s.CheckNode(r.Name, r.Description); err != nil {
		return fmt.Errorf("room %q: %w", r.Name, err)
	}
	n, err := s.roomNode(r)
	if err != nil {
		return err
	}
	return s.write(ctx, fmt.Sprintf("update room %q", r.Name), func(q querier) error {
		return s.updateNode(ctx, q, r.ID, 0, `nodeName = ?, nodeDesc = ?, parentID = ?, invite = ?, disabled = ?, behavior = ?, visibility = ?, siopID = ?, nodeUpdatedBy = ?, nodeUpdatedOn = ?`,
			n.name, n.desc, n.parent, n.invite, bit(n.disabled), n.behavior, n.visibility, n.siop, n.updatedBy, n.updatedOn)
	})
}

// roomNode is the tblNode row of a room (its parent may be a placeholder).
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

// updateNode updates one node of a type; ErrNotFound when there is none.
func (s *Store) updateNode(ctx context.Context, q querier, id int32, nodeType int, set string, args ...any) error {
	n, err := s.dialect.execCount(ctx, q, `UPDATE tblNode SET `+set+` {out} WHERE nodeID = ? AND nodeType = ?`, "INSERTED.nodeID",
		append(args, id, nodeType)...)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("node %d: %w", id, ErrNotFound)
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
	return s.AddRoleGrants(ctx, appendGrants(nil, node, rt, prins))
}

// RemoveRoles revokes a role on a node from principals.
func (s *Store) RemoveRoles(ctx context.Context, node int32, role string, prins []int32) (int, error) {
	rt, err := s.roles.ID(role)
	if err != nil {
		return 0, err
	}
	return s.RemoveRoleGrants(ctx, appendGrants(nil, node, rt, prins))
}

// RemoveRoleGrants revokes many grants, on any nodes, in one transaction,
// and returns how many there were.
func (s *Store) RemoveRoleGrants(ctx context.Context, grants []RoleGrant) (int, error) {
	if len(grants) == 0 {
		return 0, nil
	}
	var n int64
	err := s.write(ctx, fmt.Sprintf("remove %d role grants", len(grants)), func(q querier) error {
		n = 0
		seen := make(map[RoleGrant]bool, len(grants))
		for _, g := range grants {
			if seen[g] {
				continue
			}
			seen[g] = true
			k, err := s.dialect.execCount(ctx, q, `DELETE FROM tblPrincipalRole {out} WHERE prinRoleNodeID = ? AND prinRolePrinID = ? AND prinRoleTypeID = ?`,
				"DELETED.prinRoleNodeID", g.Node, g.Prin, g.Role)
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	return int(n), err
}

// AddScopes puts principals on a node's allowed (denied=false) or denied
// list. A principal already on either list of the node keeps its entry
// (tblScopePrincipal holds one row per node and principal). It returns how
// many entries were added.
func (s *Store) AddScopes(ctx context.Context, node int32, denied bool, prins []int32) (added int, err error) {
	return s.AddScopeEntries(ctx, appendScopes(nil, node, denied, prins))
}

// EnsureAddin returns the siopID of the add-in with this name, inserting it
// (keeping a.ID when free) when the pool has none.
func (s *Store) EnsureAddin(ctx context.Context, a pchat.Addin) (id string, created bool, err error) {
	if err := s.CheckAddin(a); err != nil {
		return "", false, fmt.Errorf("add-in %q: %w", a.Name, err)
	}
	err = s.write(ctx, fmt.Sprintf("add add-in %q", a.Name), func(q querier) error {
		id, created = "", false // a deadlock victim's next attempt starts afresh
		// The white list is a handful of rows: compared in Go, not with a
		// LOWER() that no index serves. The read takes the dialect's update
		// range locks (UPDLOCK, HOLDLOCK on SQL Server) to the end of the
		// write, as principalKeys does: otherwise another session could add
		// an add-in of this name between this read and the insert, and the
		// pool would hold two of one name.
		rows, err := q.QueryContext(ctx, `SELECT `+s.dialect.guid("siopID")+`, siopName FROM tblSiopWhiteList`+s.dialect.lockHint()+` ORDER BY siopName`)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var sid, name string
			if err := rows.Scan(&sid, &name); err != nil {
				rows.Close()
				return err
			}
			if s.AddinKey(name) == s.AddinKey(a.Name) && id == "" {
				id = sid
			}
			ids = append(ids, strings.ToLower(sid))
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		if id != "" {
			id, err = pchat.CanonicalGUID(id)
			return err
		}
		id = strings.ToLower(a.ID)
		for _, taken := range ids {
			if taken == id {
				id = ""
			}
		}
		if id == "" {
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
	var n int64
	err := s.write(ctx, "disable "+numtext.Count(len(ids), "room", "rooms"), func(q querier) error {
		n = 0
		return inLists(ids, func(marks string, list []any) error {
			k, err := s.dialect.execCount(ctx, q, `UPDATE tblNode SET disabled = 1, nodeUpdatedBy = ?, nodeUpdatedOn = ? {out}
WHERE nodeID IN (`+marks+`) AND nodeType = 0 AND disabled = 0`, "INSERTED.nodeID", append([]any{by, at}, list...)...)
			n += k
			return err
		})
	})
	return int(n), err
}

// DeleteRoom removes a room with its roles, scope entries, invitations,
// file tokens, messages and chat counter. Administrators remove rooms with
// Remove-CsPersistentChatRoom; pcmig uses this only for its probe room. The
// room's ID is not given to another room where the database remembers the
// highest ID ever used (an IDENTITY column, the embedded store).
func (s *Store) DeleteRoom(ctx context.Context, id int32) error {
	return s.write(ctx, fmt.Sprintf("remove room %d", id), func(q querier) error {
		stmts := []string{
			`DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ?`,
			`DELETE FROM tblScopePrincipal WHERE scopeNodeID = ?`,
			`DELETE FROM tblChat WHERE channelId = ?`,
			`DELETE FROM tblLastChatId WHERE nodeID = ?`,
		}
		if s.optional["tblPrincipalInvites"] {
			stmts = append(stmts, `DELETE FROM tblPrincipalInvites WHERE nodeID = ?`)
		}
		if s.optional["tblFileToken"] {
			// fileTokenChannelID references tblNode.nodeGuid: SQL Server
			// refuses the node's deletion while a token names it (547).
			// SQL Server compares uniqueidentifiers; the embedded store
			// compares text, whose case may differ.
			cond := `fileTokenChannelID IN (SELECT nodeGuid FROM tblNode WHERE nodeID = ? AND nodeType = 0)`
			if s.dialect.name() == "sqlite" {
				cond = `LOWER(fileTokenChannelID) IN (SELECT LOWER(nodeGuid) FROM tblNode WHERE nodeID = ? AND nodeType = 0)`
			}
			stmts = append(stmts, `DELETE FROM tblFileToken WHERE `+cond)
		}
		for _, stmt := range stmts {
			if _, err := q.ExecContext(ctx, stmt, id); err != nil {
				return err
			}
		}
		n, err := s.dialect.execCount(ctx, q, `DELETE FROM tblNode {out} WHERE nodeID = ? AND nodeType = 0`, "DELETED.nodeID", id)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("room %d: %w", id, ErrNotFound)
		}
		if s.sim != nil {
			s.sim.deleted[id] = true
		}
		return nil
	})
}
