package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// The reference documents a category's invite, logged and filePost as
// 1 (on) or 0 (off); the columns are nullable, and NULL is documented only
// for a room's invite (inherit). What a server makes of NULL on a category
// is not documented. An archive holds a category's three settings as
// booleans, so the export carries NULL as off and the import writes 0:
// both say so rather than change it silently.

// NodeSettings is a category or room and those of its invite, logged and
// filePost settings that an archive cannot carry as they are.
type NodeSettings struct {
	ID       int32
	Name     string
	Settings []string // a category's: "invitations (invite)", ...; a room's: "chat history (logged) 1", ...
}

// Describe is the settings in words: "invitations (invite), file upload
// (filePost) and chat history (logged)".
func (n NodeSettings) Describe() string { return numtext.And(n.Settings) }

// CategoryNullSettings lists the categories (not the root) whose invite,
// logged or filePost is NULL, in nodeID order.
func (s *Store) CategoryNullSettings(ctx context.Context) ([]NodeSettings, error) {
	return categoryNullSettings(ctx, s.q(), s.root)
}

// categoryNullsSQL lists the categories but the root (the parameter)
// whose invite, filePost or logged is NULL, with 1 for each NULL one (any
// other value, even one out of a bit's range, 0).
const categoryNullsSQL = `SELECT nodeID, nodeName, CASE WHEN invite IS NULL THEN 1 ELSE 0 END,
CASE WHEN filePost IS NULL THEN 1 ELSE 0 END, CASE WHEN logged IS NULL THEN 1 ELSE 0 END
FROM tblNode WHERE nodeType = 1 AND nodeID <> ? AND (invite IS NULL OR logged IS NULL OR filePost IS NULL) ORDER BY nodeID`

func categoryNullSettings(ctx context.Context, q querier, root int32) ([]NodeSettings, error) {
	return nodeSettings(ctx, q, categoryNullsSQL, []string{"invitations (invite)", "file upload (filePost)", "chat history (logged)"},
		func(name string, null sql.NullBool) (string, bool) { return name, null.Bool }, root)
}

// nodeSettings reads query's rows (nodeID, nodeName, then one bit column
// for each of names) into NodeSettings: a column's setting is named, as
// named words it, when named says so.
func nodeSettings(ctx context.Context, q querier, query string, names []string, named func(name string, v sql.NullBool) (string, bool), args ...any) ([]NodeSettings, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read tblNode: %w", err)
	}
	defer rows.Close()
	var out []NodeSettings
	vals := make([]sql.NullBool, len(names))
	for rows.Next() {
		var n NodeSettings
		dest := []any{&n.ID, &n.Name}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read tblNode: %w", err)
		}
		for i, name := range names {
			if text, ok := named(name, vals[i]); ok {
				n.Settings = append(n.Settings, text)
			}
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// nodeSettingsLine adds the doctor's WARN line check for nodes: the first
// ten named, then how many more.
func (d *doctorRun) nodeSettingsLine(check string, nodes []NodeSettings, one, many, what, advice string) {
	if len(nodes) == 0 {
		return
	}
	parts := make([]string, 0, min(len(nodes), 10))
	for _, n := range nodes[:min(len(nodes), 10)] {
		parts = append(parts, fmt.Sprintf("%q (nodeID %d): %s", textwidth.Shorten(n.Name), n.ID, strings.Join(n.Settings, ", ")))
	}
	d.add(DoctorWarn, check, fmt.Sprintf("%s %s: %s", numtext.Count(len(nodes), one, many), what, numtext.Listed(parts, len(nodes), "; ")), advice)
}

// categoryNulls is the doctor's line for a source's categories whose
// settings are NULL: the export carries them as off.
func (d *doctorRun) categoryNulls(ctx context.Context, root int32) {
	cats, err := categoryNullSettings(ctx, d.s.q(), root)
	if err != nil {
		d.failed("categories", err)
		return
	}
	d.nodeSettingsLine("categories", cats, "category holds", "categories hold",
		"NULL in a setting the reference documents as 1 (on) or 0 (off) on a category, not what NULL means there",
		"an archive holds these settings as on or off: the export carries NULL as off (and says so), so the target's category gets 0 (invitations, file upload or chat history off); check them with Get-CsPersistentChatCategory and set them with Set-CsPersistentChatCategory before the export, or after the import")
}

// The reference documents tblNode.disabled as "1 = room disabled. Always
// 0 for categories." An archive holds no disabled flag for a category, so
// a category that holds 1 arrives as 0: the doctor and the export say so.

// categoryDisabledSQL lists the categories but the root (the parameter)
// whose disabled is not 0.
const categoryDisabledSQL = `SELECT nodeID, nodeName, disabled FROM tblNode
WHERE nodeType = 1 AND nodeID <> ? AND disabled <> 0 ORDER BY nodeID`

// CategoriesDisabled lists the categories (not the root) whose disabled
// is not 0, which the reference documents as always 0 for a category, in
// nodeID order.
func (s *Store) CategoriesDisabled(ctx context.Context) ([]NodeSettings, error) {
	return categoriesDisabled(ctx, s.q(), s.root)
}

func categoriesDisabled(ctx context.Context, q querier, root int32) ([]NodeSettings, error) {
	return nodeSettings(ctx, q, categoryDisabledSQL, []string{"disabled"},
		func(name string, v sql.NullBool) (string, bool) { return name + " 1", v.Valid }, root)
}

// categoriesDisabled is the doctor's line for a source's categories whose
// disabled is 1: the target's category gets 0.
func (d *doctorRun) categoriesDisabled(ctx context.Context, root int32) {
	cats, err := categoriesDisabled(ctx, d.s.q(), root)
	if err != nil {
		d.failed("categories", err)
		return
	}
	d.nodeSettingsLine("categories", cats, "category holds", "categories hold",
		"disabled 1, which the reference documents as always 0 for a category (it disables a room)",
		"an archive has no place for it: the export leaves it out (and says so), and the target's category gets 0; what a server does with a disabled category is not documented")
}

// The reference documents a room's logged and filePost as NULL: they are
// a category's settings. A room that holds one has nowhere to go in an
// archive, which holds a room's privacy, type, invitations and add-in.

// roomSettingsSQL lists the rooms whose logged or filePost holds a value.
const roomSettingsSQL = `SELECT nodeID, nodeName, logged, filePost FROM tblNode
WHERE nodeType = 0 AND (logged IS NOT NULL OR filePost IS NOT NULL) ORDER BY nodeID`

// RoomCategorySettings lists the rooms whose logged or filePost is not
// NULL, in nodeID order.
func (s *Store) RoomCategorySettings(ctx context.Context) ([]NodeSettings, error) {
	return roomCategorySettings(ctx, s.q())
}

func roomCategorySettings(ctx context.Context, q querier) ([]NodeSettings, error) {
	return nodeSettings(ctx, q, roomSettingsSQL, []string{"chat history (logged)", "file upload (filePost)"},
		func(name string, v sql.NullBool) (string, bool) {
			return fmt.Sprintf("%s %d", name, bit(v.Bool)), v.Valid
		})
}

// roomCategorySettings is the doctor's line for a source's rooms that hold a
// category's setting: the export leaves it behind.
func (d *doctorRun) roomCategorySettings(ctx context.Context) {
	rooms, err := roomCategorySettings(ctx, d.s.q())
	if err != nil {
		d.failed("rooms", err)
		return
	}
	d.nodeSettingsLine("rooms", rooms, "room holds", "rooms hold",
		"a value in logged or filePost, which the reference documents as NULL on a room (they are a category's chat history and file upload)",
		"an archive has no place for them: the export leaves them out (and says so), and the target's room gets NULL; the room's category's settings are carried")
}

// The reference documents that a room cannot turn on invitations its
// category turns off, and the Group Chat migration that the import warns
// of a room whose invitations are not valid against its category. A room
// whose invite is 1 (True, which Set-CsPersistentChatRoom cannot set) in
// a category whose invite is 0, or NULL (which an archive carries as off),
// is one: the export carries its invitations as False (pchat.Invitations.
// Under); the doctor names it before the maintenance window.

// roomInvitationsSQL lists the rooms whose invite is 1 in a category whose
// invite is not 1, with the category's name.
const roomInvitationsSQL = `SELECT r.nodeID, r.nodeName, c.nodeName FROM tblNode r JOIN tblNode c ON c.nodeID = r.parentID
WHERE r.nodeType = 0 AND c.nodeType = 1 AND r.invite = 1 AND (c.invite IS NULL OR c.invite <> 1) ORDER BY r.nodeID`

// roomInvitations is the doctor's line for a source's rooms whose
// invitations are on in a category whose invitations are off.
func (d *doctorRun) roomInvitations(ctx context.Context) {
	rows, err := d.s.q().QueryContext(ctx, roomInvitationsSQL)
	if err != nil {
		d.failed("rooms", fmt.Errorf("read tblNode: %w", err))
		return
	}
	defer rows.Close()
	var parts []string
	n := 0
	for rows.Next() {
		var id int32
		var room, cat string
		if err := rows.Scan(&id, &room, &cat); err != nil {
			d.failed("rooms", fmt.Errorf("read tblNode: %w", err))
			return
		}
		n++
		if len(parts) < 10 {
			parts = append(parts, fmt.Sprintf("%q (nodeID %d) in category %q", textwidth.Shorten(room), id, textwidth.Shorten(cat)))
		}
	}
	if err := rows.Err(); err != nil {
		d.failed("rooms", fmt.Errorf("read tblNode: %w", err))
		return
	}
	if n == 0 {
		return
	}
	d.add(DoctorWarn, "rooms", fmt.Sprintf("%s invitations on (invite 1) in a category whose invitations are off (invite 0 or NULL), which the reference says a room cannot turn on: %s",
		numtext.Count(n, "room has", "rooms have"), numtext.Listed(parts, n, ", ")),
		"the export carries such a room's invitations as False and warns, as Import-CsPersistentChatData does (verify expects False); to choose instead, set the room's with Set-CsPersistentChatRoom -Identity POOL\\NAME -Invitations False (or Inherit), or turn on the category's with Set-CsPersistentChatCategory -Invitations $true, before the export")
}
