package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// The doctor's lines for the rows an export of a source refuses
// (exporter.refusedRows) or carries without a value it cannot name, so
// that the pre-flight names them before the maintenance window instead of
// step 1: a principal with an empty prinUri, a category or a room (in a
// category) with an empty nodeName, an add-in with an empty siopName, a
// room whose siopID names no tblSiopWhiteList row, and nodes whose
// nodeAddedBy or nodeUpdatedBy names no principal.

// The candidate rows of an empty text column. SQL Server compares an
// empty string equal to blanks, so the rows are filtered again in Go,
// where the export compares: a URI must not be "", a category, room or
// add-in name neither "" nor spaces only (which SQL Server compares as
// empty, and an import refuses).
const (
	emptyURISQL       = `SELECT prinID, prinUri FROM tblPrincipal WHERE prinUri = '' ORDER BY prinID`
	emptyNodeNamesSQL = `SELECT n.nodeID, CASE WHEN n.nodeType = 1 THEN 1 ELSE 0 END, n.nodeName FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID
WHERE RTRIM(n.nodeName) = '' AND n.nodeID <> ? AND (n.nodeType = 1 OR (p.nodeType = 1 AND p.nodeID <> ?)) ORDER BY n.nodeID`
)

// exportRefused runs the lines for a source; the rows are named by table
// and key, never by their text.
func (d *doctorRun) exportRefused(ctx context.Context, root int32) {
	if d.opts.Role != RoleSource {
		return
	}
	var bad []string
	n := 0
	note := func(s string) {
		n++
		if len(bad) < 10 {
			bad = append(bad, s)
		}
	}
	rows, err := d.s.q().QueryContext(ctx, emptyURISQL)
	if err != nil {
		d.failed("empty names", err)
		return
	}
	for rows.Next() {
		var id int64
		var uri string
		if err := rows.Scan(&id, &uri); err != nil {
			rows.Close()
			d.failed("empty names", err)
			return
		}
		if uri == "" {
			note(fmt.Sprintf("tblPrincipal prinID %d: prinUri", id))
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("empty names", err)
		return
	}
	rows, err = d.s.q().QueryContext(ctx, emptyNodeNamesSQL, root, root)
	if err != nil {
		d.failed("empty names", err)
		return
	}
	for rows.Next() {
		var id, typ int64
		var name string
		if err := rows.Scan(&id, &typ, &name); err != nil {
			rows.Close()
			d.failed("empty names", err)
			return
		}
		if blank(name) {
			kind := "room"
			if typ == 1 {
				kind = "category"
			}
			note(fmt.Sprintf("tblNode nodeID %d (a %s): nodeName%s", id, kind, spacesOnly(name)))
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("empty names", err)
		return
	}
	rows, err = d.s.q().QueryContext(ctx, `SELECT `+d.s.dialect.guid("siopID")+`, siopName FROM tblSiopWhiteList WHERE RTRIM(siopName) = ''`)
	if err != nil {
		d.failed("empty names", err)
		return
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			d.failed("empty names", err)
			return
		}
		if blank(name) {
			note(fmt.Sprintf("tblSiopWhiteList siopID %s: siopName%s", strings.ToLower(id), spacesOnly(name)))
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("empty names", err)
		return
	}
	if n > 0 {
		d.add(DoctorFail, "empty names", fmt.Sprintf("%s empty where an archive needs a name: %s", numtext.Count(n, "row is", "rows are"), numtext.Listed(bad, n, "; ")),
			"the export refuses the pool, naming each row: give each a name (a principal its sip: or ma-grp: URI, Set-CsPersistentChatRoom/Category -Name, Set-CsPersistentChatAddin -Name) after a backup")
	}
	d.roomAddins(ctx, root)
	d.unknownAuthors(ctx, root)
	d.principalEmptyTexts(ctx)
	d.uncarriedAccessLine(ctx, root)
}

// unknownAuthorsSQL lists the categories, and the rooms in a category,
// whose nodeAddedBy or nodeUpdatedBy is not in tblPrincipal (the root
// twice).
const unknownAuthorsSQL = `SELECT n.nodeID, n.nodeName, n.nodeAddedBy, n.nodeUpdatedBy,
CASE WHEN EXISTS (SELECT 1 FROM tblPrincipal a WHERE a.prinID = n.nodeAddedBy) THEN 1 ELSE 0 END,
CASE WHEN EXISTS (SELECT 1 FROM tblPrincipal u WHERE u.prinID = n.nodeUpdatedBy) THEN 1 ELSE 0 END
FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID
WHERE n.nodeID <> ? AND (n.nodeType = 1 OR (p.nodeType = 1 AND p.nodeID <> ?))
AND (NOT EXISTS (SELECT 1 FROM tblPrincipal a WHERE a.prinID = n.nodeAddedBy) OR NOT EXISTS (SELECT 1 FROM tblPrincipal u WHERE u.prinID = n.nodeUpdatedBy))
ORDER BY n.nodeID`

// unknownAuthors reports the nodes an export carries whose creator or
// last updater names no principal: the export carries "" (an archive
// names principals by GUID) and the import credits the target's system
// user, so it is a warning.
func (d *doctorRun) unknownAuthors(ctx context.Context, root int32) {
	rows, err := d.s.q().QueryContext(ctx, unknownAuthorsSQL, root, root)
	if err != nil {
		d.failed("node authors", err)
		return
	}
	var bad []string
	n := 0
	for rows.Next() {
		var id, added, updated, addedOK, updatedOK int64
		var name string
		if err := rows.Scan(&id, &name, &added, &updated, &addedOK, &updatedOK); err != nil {
			rows.Close()
			d.failed("node authors", err)
			return
		}
		n++
		if len(bad) < 10 {
			var cols []string
			if addedOK == 0 {
				cols = append(cols, fmt.Sprintf("nodeAddedBy %d", added))
			}
			if updatedOK == 0 {
				cols = append(cols, fmt.Sprintf("nodeUpdatedBy %d", updated))
			}
			bad = append(bad, fmt.Sprintf("%q (nodeID %d): %s", textwidth.Shorten(name), id, numtext.And(cols)))
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("node authors", err)
		return
	}
	if n > 0 {
		d.add(DoctorWarn, "node authors", fmt.Sprintf("%s a creator (nodeAddedBy) or last updater (nodeUpdatedBy) that is not in tblPrincipal: %s",
			numtext.Count(n, "category or room names", "categories and rooms name"), numtext.Listed(bad, n, "; ")),
			"an archive names principals by GUID: the export carries none for them (and says so), and the import credits the target's system user (prinID 1)")
	}
}

// roomAddinsSQL lists the rooms in a category that name an add-in, and
// the add-ins; they are compared in Go by canonical GUID (SQLite compares
// GUID text by case).
const roomAddinsSQL = `SELECT n.nodeID, n.nodeName, %s FROM tblNode n JOIN tblNode p ON p.nodeID = n.parentID
WHERE n.nodeType = 0 AND p.nodeType = 1 AND p.nodeID <> ? AND n.siopID IS NOT NULL ORDER BY n.nodeID`

// roomAddins reports rooms whose siopID names no add-in of
// tblSiopWhiteList (the documented foreign key, which an embedded
// database does not enforce): the export refuses them, since an archive
// names a room's add-in by the add-in's name.
func (d *doctorRun) roomAddins(ctx context.Context, root int32) {
	known := map[string]bool{}
	rows, err := d.s.q().QueryContext(ctx, `SELECT `+d.s.dialect.guid("siopID")+` FROM tblSiopWhiteList`)
	if err != nil {
		d.failed("add-ins", err)
		return
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			d.failed("add-ins", err)
			return
		}
		if g, err := canonGUID("tblSiopWhiteList.siopID", id); err == nil {
			known[g] = true
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("add-ins", err)
		return
	}
	rows, err = d.s.q().QueryContext(ctx, fmt.Sprintf(roomAddinsSQL, d.s.dialect.guid("n.siopID")), root)
	if err != nil {
		d.failed("add-ins", err)
		return
	}
	var bad []string
	n := 0
	for rows.Next() {
		var id int64
		var name, siop string
		if err := rows.Scan(&id, &name, &siop); err != nil {
			rows.Close()
			d.failed("add-ins", err)
			return
		}
		g, err := canonGUID("tblNode.siopID", siop)
		if err != nil || known[g] {
			continue // the values line names a siopID that is not a GUID
		}
		n++
		if len(bad) < 10 {
			bad = append(bad, fmt.Sprintf("%q (nodeID %d) siopID %s", textwidth.Shorten(name), id, g))
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("add-ins", err)
		return
	}
	if n > 0 {
		d.add(DoctorFail, "add-ins", fmt.Sprintf("%s an add-in (tblNode.siopID) that is not in tblSiopWhiteList: %s", numtext.Count(n, "room names", "rooms name"), numtext.Listed(bad, n, "; ")),
			"the export refuses the pool, naming each room (an archive names a room's add-in by its name): set the room's add-in (Set-CsPersistentChatRoom -Addin), or its siopID to NULL, after a backup")
	}
}

// blank is a name that is empty or spaces only.
func blank(name string) bool { return strings.TrimRight(name, " ") == "" }

// spacesOnly is " (spaces only)" for a name of spaces only.
func spacesOnly(name string) string {
	if name != "" {
		return " (spaces only)"
	}
	return ""
}

// closeRows closes rows and returns their iteration error.
func closeRows(rows interface {
	Err() error
	Close() error
}) error {
	err := rows.Err()
	rows.Close()
	return err
}
