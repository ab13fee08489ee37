package store

import (
	"context"
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
