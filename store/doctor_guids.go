package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// Persistent Chat keeps tblPrincipal.prinGuid (the documented alternate
// key) and tblNode.nodeGuid (which tblFileToken's foreign key references)
// unique, and an archive names principals and nodes by them. An embedded
// database enforces that only when it was created so: a hand-made one may
// hold a GUID twice. The doctor names such rows (embedded databases), and
// a dry run, whose scratch copy keeps both unique, says what stopped it.

// guidKeys are the unique GUID columns with their tables' ID columns.
var guidKeys = []struct{ table, guid, id string }{
	{"tblPrincipal", "prinGuid", "prinID"},
	{"tblNode", "nodeGuid", "nodeID"},
}

// sharedGUIDs names each GUID of guidKeys held by more than one row, with
// those rows' IDs ("tblPrincipal.prinGuid X is held by prinIDs 7, 8"):
// the first limit, and how many there are.
func (s *Store) sharedGUIDs(ctx context.Context, limit int) ([]string, int, error) {
	var out []string
	n := 0
	for _, k := range guidKeys {
		g := "LOWER(" + s.dialect.guid(s.dialect.ident(s.cat.columnName(k.table, k.guid))) + ")"
		id := s.dialect.ident(s.cat.columnName(k.table, k.id))
		query := fmt.Sprintf(`SELECT x.g, x.id FROM (SELECT %s AS g, %s AS id FROM %s) x
WHERE x.g IN (SELECT %s FROM %s GROUP BY %s HAVING COUNT(*) > 1) ORDER BY x.g, x.id`, g, id, k.table, g, k.table, g)
		rows, err := s.q().QueryContext(ctx, query)
		if err != nil {
			return nil, 0, fmt.Errorf("read %s: %w", k.table, err)
		}
		var cur string
		var ids []string
		flush := func() {
			if len(ids) > 0 {
				n++
				if len(out) < limit {
					out = append(out, fmt.Sprintf("%s.%s %s is held by %ss %s", k.table, k.guid, cur, k.id, strings.Join(ids, ", ")))
				}
			}
			ids = ids[:0]
		}
		for rows.Next() {
			var guid string
			var rowID int64
			if err := rows.Scan(&guid, &rowID); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("read %s: %w", k.table, err)
			}
			if guid != cur {
				flush()
				cur = guid
			}
			ids = append(ids, fmt.Sprint(rowID))
		}
		flush()
		if err := closeRows(rows); err != nil {
			return nil, 0, fmt.Errorf("read %s: %w", k.table, err)
		}
	}
	return out, n, nil
}

// guids is the doctor's line for an embedded database's GUIDs held twice;
// none when there are none (SQL Server enforces the keys).
func (d *doctorRun) guids(ctx context.Context) {
	if d.sqlServer {
		return
	}
	shared, n, err := d.s.sharedGUIDs(ctx, 10)
	if err != nil {
		d.failed("GUIDs", err)
		return
	}
	if n == 0 {
		return
	}
	advice := "the import matches principals and rooms by GUID and cannot tell these rows apart; Persistent Chat keeps both GUIDs unique: correct the rows, after a backup, before the import"
	if d.opts.Role == RoleSource {
		advice = "an archive names principals and nodes by GUID: the export refuses the pool, and a dry run cannot simulate it; Persistent Chat keeps both GUIDs unique: correct the rows, after a backup, before the export"
	}
	d.add(DoctorFail, "GUIDs", fmt.Sprintf("%s held by more than one row: %s", numtext.Count(n, "GUID is", "GUIDs are"), numtext.Listed(shared, n, "; ")), advice)
}
