package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/textwidth"
)

// The doctor's lines for rows the documented schema describes but does
// not constrain, which a damaged or hand-edited database may hold: a
// principal state outside the documented ones, a category that is not
// under the root, and a pool ID in tblConfig that is not a GUID.

// principalStatesSQL lists the principals whose prinDisabled is none of
// the documented 0 (active), 1 (disabled) and 2 (deleted).
const principalStatesSQL = `SELECT prinID, prinDisabled FROM tblPrincipal WHERE prinDisabled NOT IN (0, 1, 2) ORDER BY prinID`

// principalStates reports principals of an undocumented state: a source's
// export refuses them (an archive holds the three documented states); a
// target's import leaves them as they are.
func (d *doctorRun) principalStates(ctx context.Context) {
	bad, err := idCounts(ctx, d.s.q(), principalStatesSQL)
	if err != nil {
		d.failed("principals", err)
		return
	}
	if len(bad) == 0 {
		return
	}
	parts := make([]string, 0, 11)
	for i, b := range bad {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(bad)-10))
			break
		}
		parts = append(parts, fmt.Sprintf("prinID %d (prinDisabled %d)", b.id, b.n))
	}
	status, action := DoctorWarn, "the import leaves such a principal as it is, but an export of this pool would refuse it: correct prinDisabled (0 active, 1 disabled, 2 deleted) after a backup"
	if d.opts.Role == RoleSource {
		status, action = DoctorFail, "the export refuses the pool, naming each row (an archive holds the three documented states): correct prinDisabled (0 active, 1 disabled, 2 deleted) after a backup"
	}
	d.add(status, "principals", fmt.Sprintf("%s a prinDisabled outside the documented 0 (active), 1 (disabled) and 2 (deleted): %s",
		numtext.Count(len(bad), "principal has", "principals have"), strings.Join(parts, ", ")), action)
}

// categoryPlacesSQL lists the categories whose parent is not the root
// (the parameters, twice), with their parent if it exists: another
// category, a room, a node that does not exist, none, or themselves.
const categoryPlacesSQL = `SELECT n.nodeID, n.nodeName, n.parentID, p.nodeID, CASE WHEN p.nodeType = 0 THEN 0 ELSE 1 END, p.nodeName
FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID
WHERE n.nodeType = 1 AND n.nodeID <> ? AND (n.parentID IS NULL OR n.parentID <> ?) ORDER BY n.nodeID`

// categoryPlaces reports categories that are not under the root.
// Persistent Chat documents one level of categories under the root; it
// does not document what its servers do with a category elsewhere. An
// export carries such a category as a top-level one (as Microsoft's Group
// Chat migration flattens nested categories) and says so; an import
// merges an archive's category of its name into it. Nothing is lost
// either way, so it is a warning.
func (d *doctorRun) categoryPlaces(ctx context.Context) {
	root, err := findRoot(ctx, d.s.q())
	if err != nil {
		return // the root line said so
	}
	rows, err := d.s.q().QueryContext(ctx, categoryPlacesSQL, root, root)
	if err != nil {
		d.failed("categories", err)
		return
	}
	defer rows.Close()
	var cats []string
	n := 0
	for rows.Next() {
		var id int64
		var name string
		var parent, pid sql.NullInt64
		var pcat sql.NullInt64
		var pname sql.NullString
		if err := rows.Scan(&id, &name, &parent, &pid, &pcat, &pname); err != nil {
			d.failed("categories", err)
			return
		}
		n++
		if len(cats) == 10 {
			continue
		}
		where := ""
		switch {
		case !parent.Valid:
			where = "has no parent (parentID NULL)"
		case parent.Int64 == id:
			where = "is its own parent"
		case !pid.Valid:
			where = fmt.Sprintf("is inside node %d, which does not exist", parent.Int64)
		case pcat.Int64 == 0:
			where = fmt.Sprintf("is inside room %q (nodeID %d)", textwidth.Shorten(pname.String), parent.Int64)
		default:
			where = fmt.Sprintf("is inside category %q (nodeID %d)", textwidth.Shorten(pname.String), parent.Int64)
		}
		cats = append(cats, fmt.Sprintf("%q (nodeID %d) %s", textwidth.Shorten(name), id, where))
	}
	if err := rows.Err(); err != nil {
		d.failed("categories", err)
		return
	}
	if n == 0 {
		d.add(DoctorOK, "categories", fmt.Sprintf("every category is under the root node %d", root), "")
		return
	}
	fix := fmt.Sprintf("to put one right, set its tblNode.parentID to the root's nodeID (%d) in a maintenance window, after a backup (no cmdlet moves a category)", root)
	action := "an export carries each as a top-level category with its rooms, and says so: in the target it is under the root; " + fix
	if d.opts.Role == RoleTarget {
		action = "an import merges an archive's category of the same name into it (verify notes it), adding rooms to a category that is not where Persistent Chat keeps categories; " + fix + ", before the import"
	}
	d.add(DoctorWarn, "categories", fmt.Sprintf("%s not under the root node %d (Persistent Chat keeps one level of categories, under the root; its documentation does not say what the servers do with one elsewhere): %s",
		numtext.Count(n, "category is", "categories are"), root, numtext.Listed(cats, n, "; ")), action)
}

// poolID checks tblConfig's configPoolID, which the import, verify and
// pcmig run read (Store.PoolID: the pool ID tells a copy of a pool's
// database from the pool): one that is not a GUID makes them refuse the
// database. The values are never shown (tblConfig is the pool's own
// configuration); a valid pool ID is shown in its canonical form.
func (d *doctorRun) poolID(ctx context.Context) {
	if _, ok := d.cat.tables["tblConfig"]; !ok {
		return
	}
	rows, err := d.s.q().QueryContext(ctx, `SELECT `+d.s.dialect.guid("configPoolID")+` FROM tblConfig`)
	if err != nil {
		d.failed("pool ID", err)
		return
	}
	defer rows.Close()
	var ids []string
	seen := map[string]bool{}
	malformed, total := 0, 0
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			d.failed("pool ID", err)
			return
		}
		if !v.Valid {
			continue
		}
		total++
		g, err := pchat.CanonicalGUID(v.String)
		if err != nil {
			malformed++
			continue
		}
		if !seen[g] {
			seen[g] = true
			ids = append(ids, g)
		}
	}
	if err := rows.Err(); err != nil {
		d.failed("pool ID", err)
		return
	}
	switch {
	case malformed > 0:
		d.add(DoctorFail, "pool ID", fmt.Sprintf("%s of %d in tblConfig is not a GUID (8-4-4-4-12 hexadecimal digits); the value is not shown", numtext.Count(malformed, "configPoolID", "configPoolIDs"), total),
			"the import, verify and pcmig run read the pool ID (it tells a copy of a pool's database from the pool) and refuse this database: after a backup, correct configPoolID to the pool's GUID, or delete the row if this database has no pool ID of its own")
	case len(ids) > 1:
		d.add(DoctorWarn, "pool ID", fmt.Sprintf("tblConfig holds %d different pool IDs (documented: one row); pcmig takes the lowest as the pool's", len(ids)),
			"find out which row is the pool's; pcmig tells a copy of a pool's database from the pool by this ID")
	case len(ids) == 1:
		d.add(DoctorOK, "pool ID", "tblConfig pool ID "+ids[0], "")
	}
}

// roomSettings reports rooms whose visibility or behavior is not one of
// tblEnumValue's values of that attribute: pcmig reads every room's
// privacy and type through tblEnumValue, and stops at such a room (the
// export, the import's read of its target, verify, inventory).
func (d *doctorRun) roomSettings(ctx context.Context) {
	e, err := loadEnums(ctx, d.s.q())
	if err != nil {
		return // the enums line said so
	}
	ids := func(m map[int16]bool) ([]string, string) {
		var sorted []int
		for id := range m {
			sorted = append(sorted, int(id))
		}
		sort.Ints(sorted)
		out := make([]string, len(sorted))
		for i, id := range sorted {
			out[i] = fmt.Sprint(id)
		}
		return out, strings.Join(out, ", ")
	}
	vis, beh := map[int16]bool{}, map[int16]bool{}
	for _, id := range e.visibility {
		vis[id] = true
	}
	for _, id := range e.behavior {
		beh[id] = true
	}
	visIDs, visList := ids(vis)
	behIDs, behList := ids(beh)
	rows, err := d.s.q().QueryContext(ctx, `SELECT nodeID, nodeName, visibility, behavior FROM tblNode WHERE nodeType = 0 AND (visibility NOT IN (`+visList+`) OR behavior NOT IN (`+behList+`)) ORDER BY nodeID`)
	if err != nil {
		d.failed("rooms", err)
		return
	}
	defer rows.Close()
	shown := func(v any) string {
		if n, ok := v.(int64); ok {
			return fmt.Sprint(n)
		}
		return "(not an integer)"
	}
	var bad []string
	n := 0
	for rows.Next() {
		var id, v, b any
		var name sql.NullString
		if err := rows.Scan(&id, &name, &v, &b); err != nil {
			d.failed("rooms", err)
			return
		}
		n++
		if len(bad) == 10 {
			continue
		}
		var what []string
		if x, ok := v.(int64); !ok || int64(int16(x)) != x || !vis[int16(x)] {
			what = append(what, "visibility "+shown(v))
		}
		if x, ok := b.(int64); !ok || int64(int16(x)) != x || !beh[int16(x)] {
			what = append(what, "behavior "+shown(b))
		}
		bad = append(bad, fmt.Sprintf("%q (nodeID %s) %s", textwidth.Shorten(name.String), shown(id), strings.Join(what, ", ")))
	}
	if err := rows.Err(); err != nil {
		d.failed("rooms", err)
		return
	}
	if n == 0 {
		return
	}
	d.add(DoctorFail, "rooms", fmt.Sprintf("%s a visibility or behavior that is not one of tblEnumValue's: %s (visibility: %s; behavior: %s)",
		numtext.Count(n, "room has", "rooms have"), numtext.Listed(bad, n, "; "), numtext.And(visIDs), numtext.And(behIDs)),
		"pcmig reads each room's privacy and type through tblEnumValue and stops at such a room (the export, the import, verify and inventory): after a backup, set it to one of the values listed")
}
