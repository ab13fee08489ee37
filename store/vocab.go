package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// RoleTypes are the tblRoleType IDs of the four documented roles, found by
// their descriptions.
type RoleTypes struct {
	Member, Manager, Voiced, Creator int32
}

// ID returns the role type ID for a role name (Member, Manager, Voiced or
// Presenter, Creator).
func (r RoleTypes) ID(role string) (int32, error) {
	switch strings.ToLower(role) {
	case "member":
		return r.Member, nil
	case "manager":
		return r.Manager, nil
	case "voiced", "presenter":
		return r.Voiced, nil
	case "creator":
		return r.Creator, nil
	}
	return 0, fmt.Errorf("unknown role %q: want Member, Manager, Voiced or Creator", role)
}

func loadRoleTypes(ctx context.Context, q querier) (RoleTypes, error) {
	rows, err := q.QueryContext(ctx, `SELECT rtypeID, rtypeDesc FROM tblRoleType`)
	if err != nil {
		return RoleTypes{}, fmt.Errorf("read tblRoleType: %w", err)
	}
	defer rows.Close()
	found := map[string][]int32{}
	for rows.Next() {
		var id int32
		var desc string
		if err := rows.Scan(&id, &desc); err != nil {
			return RoleTypes{}, fmt.Errorf("read tblRoleType: %w", err)
		}
		key := strings.ToLower(strings.TrimSpace(desc))
		found[key] = append(found[key], id)
	}
	if err := rows.Err(); err != nil {
		return RoleTypes{}, fmt.Errorf("read tblRoleType: %w", err)
	}
	var r RoleTypes
	var missing []string
	for _, x := range []struct {
		desc string
		dst  *int32
	}{{pchat.RoleMember, &r.Member}, {pchat.RoleManager, &r.Manager}, {pchat.RoleVoiced, &r.Voiced}, {pchat.RoleCreator, &r.Creator}} {
		ids := found[strings.ToLower(x.desc)]
		if x.desc == pchat.RoleVoiced {
			// The cmdlets call the auditorium role Presenters.
			ids = append(ids, found["presenter"]...)
		}
		switch {
		case len(ids) == 0:
			missing = append(missing, x.desc)
		case len(ids) > 1:
			// The IDs are not documented: of two rows of one role, which
			// one the servers use cannot be found out.
			slices.Sort(ids)
			return r, fmt.Errorf("%w: tblRoleType has %d rows described %s (rtypeIDs %s): which one the servers use is not known", ErrNotPersistentChat, len(ids), x.desc, joinIDs(ids))
		default:
			*x.dst = ids[0]
		}
	}
	if len(missing) > 0 {
		return r, fmt.Errorf("%w: tblRoleType has no row described %s", ErrNotPersistentChat, strings.Join(missing, ", "))
	}
	return r, nil
}

// joinIDs is ids as "1, 30".
func joinIDs[T int16 | int32](ids []T) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// enumTwice is the error of a value tblEnumValue holds twice: which ID the
// servers use is not known.
func enumTwice(attr, val string, a, b int16) error {
	ids := []int16{a, b}
	slices.Sort(ids)
	return fmt.Errorf("%w: tblEnumValue has 2 %s values %s (valueIDs %s): which one the servers use is not known", ErrNotPersistentChat, attr, val, joinIDs(ids))
}

// enumIDs maps tblEnumValue rows both ways.
type enumIDs struct {
	visibility map[pchat.Privacy]int16
	behavior   map[pchat.RoomType]int16
	byID       map[int16]string // valueID -> attributeValue (lower case)
}

func loadEnums(ctx context.Context, q querier) (enumIDs, error) {
	rows, err := q.QueryContext(ctx, `SELECT v.valueID, a.attributeName, v.attributeValue
FROM tblEnumValue v JOIN tblEnumAttribute a ON a.attributeID = v.attributeID`)
	if err != nil {
		return enumIDs{}, fmt.Errorf("read tblEnumValue: %w", err)
	}
	defer rows.Close()
	e := enumIDs{visibility: map[pchat.Privacy]int16{}, behavior: map[pchat.RoomType]int16{}, byID: map[int16]string{}}
	for rows.Next() {
		var id int16
		var attr, val string
		if err := rows.Scan(&id, &attr, &val); err != nil {
			return e, fmt.Errorf("read tblEnumValue: %w", err)
		}
		val = strings.ToLower(strings.TrimSpace(val))
		e.byID[id] = val
		switch strings.ToLower(strings.TrimSpace(attr)) {
		case "visibility":
			if p, err := pchat.PrivacyFromVisibility(val); err == nil {
				if first, dup := e.visibility[p]; dup {
					return e, enumTwice("Visibility", val, first, id)
				}
				e.visibility[p] = id
			}
		case "behavior", "behaviour":
			if t, err := pchat.RoomTypeFromBehavior(val); err == nil {
				if first, dup := e.behavior[t]; dup {
					return e, enumTwice("Behavior", val, first, id)
				}
				e.behavior[t] = id
			}
		}
	}
	if err := rows.Err(); err != nil {
		return e, fmt.Errorf("read tblEnumValue: %w", err)
	}
	var missing []string
	for _, p := range []pchat.Privacy{pchat.Open, pchat.Closed, pchat.Secret} {
		if _, ok := e.visibility[p]; !ok {
			missing = append(missing, "Visibility "+p.VisibilityValue())
		}
	}
	for _, t := range []pchat.RoomType{pchat.Normal, pchat.Auditorium} {
		if _, ok := e.behavior[t]; !ok {
			missing = append(missing, "Behavior "+t.BehaviorValue())
		}
	}
	if len(missing) > 0 {
		return e, fmt.Errorf("%w: tblEnumValue lacks %s", ErrNotPersistentChat, strings.Join(missing, ", "))
	}
	return e, nil
}

// privacy is a room's privacy from its visibility. An ID that is not a
// visibility value is named; tblEnumValue's text is not quoted.
func (e enumIDs) privacy(id int16) (pchat.Privacy, error) {
	p, err := pchat.PrivacyFromVisibility(e.byID[id])
	if err != nil {
		return p, fmt.Errorf("visibility %d is not one of tblEnumValue's visibility values", id)
	}
	return p, nil
}

// roomType is a room's type from its behavior, likewise.
func (e enumIDs) roomType(id int16) (pchat.RoomType, error) {
	t, err := pchat.RoomTypeFromBehavior(e.byID[id])
	if err != nil {
		return t, fmt.Errorf("behavior %d is not one of tblEnumValue's behavior values", id)
	}
	return t, nil
}

// findRoot finds the root node: the one that is its own parent. The
// reference documents it as node 1, so of several such nodes (a category
// made its own parent by hand) node 1 is the root, else the lowest. A node
// without a parent (parentID is nullable) is never the root: a room or
// category left without one, with a lower nodeID, was taken for it, and an
// import put every category under it.
func findRoot(ctx context.Context, q querier) (int32, error) {
	var id int32
	err := q.QueryRowContext(ctx, `SELECT MIN(nodeID) FROM tblNode WHERE parentID = nodeID AND (nodeID = 1 OR NOT EXISTS (SELECT 1 FROM tblNode WHERE nodeID = 1 AND parentID = 1))`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("%w: tblNode has no root node (a node that is its own parent)", ErrNotPersistentChat)
	}
	return id, nil
}

// valid reports whether id is one of the four role type IDs.
func (r RoleTypes) valid(id int32) bool {
	return id == r.Member || id == r.Manager || id == r.Voiced || id == r.Creator
}
