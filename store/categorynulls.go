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

// NullCategorySetting is a category whose settings columns hold NULL.
type NullCategorySetting struct {
	ID       int32
	Name     string
	Settings []string // "invitations (invite)", "file upload (filePost)", "chat history (logged)"
}

// Describe is the category's settings in words: "invitations (invite),
// file upload (filePost) and chat history (logged)".
func (c NullCategorySetting) Describe() string {
	return numtext.And(c.Settings)
}

// CategoryNullSettings lists the categories (not the root) whose invite,
// logged or filePost is NULL, in nodeID order.
func (s *Store) CategoryNullSettings(ctx context.Context) ([]NullCategorySetting, error) {
	return categoryNullSettings(ctx, s.q(), s.root)
}

// categoryNullsSQL lists the categories but the root (the parameter)
// whose invite, filePost or logged is NULL, with 1 for each NULL one.
const categoryNullsSQL = `SELECT nodeID, nodeName, CASE WHEN invite IS NULL THEN 1 ELSE 0 END,
CASE WHEN filePost IS NULL THEN 1 ELSE 0 END, CASE WHEN logged IS NULL THEN 1 ELSE 0 END
FROM tblNode WHERE nodeType = 1 AND nodeID <> ? AND (invite IS NULL OR logged IS NULL OR filePost IS NULL) ORDER BY nodeID`

func categoryNullSettings(ctx context.Context, q querier, root int32) ([]NullCategorySetting, error) {
	rows, err := q.QueryContext(ctx, categoryNullsSQL, root)
	if err != nil {
		return nil, fmt.Errorf("read tblNode: %w", err)
	}
	defer rows.Close()
	var out []NullCategorySetting
	for rows.Next() {
		var c NullCategorySetting
		var inv, file, hist int
		if err := rows.Scan(&c.ID, &c.Name, &inv, &file, &hist); err != nil {
			return nil, fmt.Errorf("read tblNode: %w", err)
		}
		for _, x := range []struct {
			null bool
			name string
		}{{inv == 1, "invitations (invite)"}, {file == 1, "file upload (filePost)"}, {hist == 1, "chat history (logged)"}} {
			if x.null {
				c.Settings = append(c.Settings, x.name)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// categoryNulls is the doctor's line for a source's categories whose
// settings are NULL: the export carries them as off.
func (d *doctorRun) categoryNulls(ctx context.Context, root int32) {
	cats, err := categoryNullSettings(ctx, d.s.q(), root)
	if err != nil {
		d.failed("categories", err)
		return
	}
	if len(cats) == 0 {
		return
	}
	parts := make([]string, 0, min(len(cats), 10))
	for _, c := range cats[:min(len(cats), 10)] {
		parts = append(parts, fmt.Sprintf("%q (nodeID %d): %s", textwidth.Shorten(c.Name), c.ID, strings.Join(c.Settings, ", ")))
	}
	d.add(DoctorWarn, "categories", fmt.Sprintf("%s NULL in a setting the reference documents as 1 (on) or 0 (off) on a category, not what NULL means there: %s",
		numtext.Count(len(cats), "category holds", "categories hold"), numtext.Listed(parts, len(cats), "; ")),
		"an archive holds these settings as on or off: the export carries NULL as off (and says so), so the target's category gets 0 (invitations, file upload or chat history off); check them with Get-CsPersistentChatCategory and set them with Set-CsPersistentChatCategory before the export, or after the import")
}

// The reference documents a room's logged and filePost as NULL: they are
// a category's settings. A room that holds one has nowhere to go in an
// archive, which holds a room's privacy, type, invitations and add-in.

// RoomCategorySetting is a room whose logged or filePost is not NULL.
type RoomCategorySetting struct {
	ID       int32
	Name     string
	Settings []string // "chat history (logged) 1", "file upload (filePost) 0"
}

// Describe is the room's settings in words.
func (r RoomCategorySetting) Describe() string { return numtext.And(r.Settings) }

// roomSettingsSQL lists the rooms whose logged or filePost holds a value.
const roomSettingsSQL = `SELECT nodeID, nodeName, logged, filePost FROM tblNode
WHERE nodeType = 0 AND (logged IS NOT NULL OR filePost IS NOT NULL) ORDER BY nodeID`

// RoomCategorySettings lists the rooms whose logged or filePost is not
// NULL, in nodeID order.
func (s *Store) RoomCategorySettings(ctx context.Context) ([]RoomCategorySetting, error) {
	return roomCategorySettings(ctx, s.q())
}

func roomCategorySettings(ctx context.Context, q querier) ([]RoomCategorySetting, error) {
	rows, err := q.QueryContext(ctx, roomSettingsSQL)
	if err != nil {
		return nil, fmt.Errorf("read tblNode: %w", err)
	}
	defer rows.Close()
	var out []RoomCategorySetting
	for rows.Next() {
		var r RoomCategorySetting
		var logged, file sql.NullBool
		if err := rows.Scan(&r.ID, &r.Name, &logged, &file); err != nil {
			return nil, fmt.Errorf("read tblNode: %w", err)
		}
		for _, x := range []struct {
			v    sql.NullBool
			name string
		}{{logged, "chat history (logged)"}, {file, "file upload (filePost)"}} {
			if x.v.Valid {
				r.Settings = append(r.Settings, fmt.Sprintf("%s %d", x.name, map[bool]int{false: 0, true: 1}[x.v.Bool]))
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// roomCategorySettings is the doctor's line for a source's rooms that hold a
// category's setting: the export leaves it behind.
func (d *doctorRun) roomCategorySettings(ctx context.Context) {
	rooms, err := roomCategorySettings(ctx, d.s.q())
	if err != nil {
		d.failed("rooms", err)
		return
	}
	if len(rooms) == 0 {
		return
	}
	parts := make([]string, 0, min(len(rooms), 10))
	for _, r := range rooms[:min(len(rooms), 10)] {
		parts = append(parts, fmt.Sprintf("%q (nodeID %d): %s", textwidth.Shorten(r.Name), r.ID, strings.Join(r.Settings, ", ")))
	}
	d.add(DoctorWarn, "rooms", fmt.Sprintf("%s a value in logged or filePost, which the reference documents as NULL on a room (they are a category's chat history and file upload): %s",
		numtext.Count(len(rooms), "room holds", "rooms hold"), numtext.Listed(parts, len(rooms), "; ")),
		"an archive has no place for them: the export leaves them out (and says so), and the target's room gets NULL; the room's category's settings are carried")
}
