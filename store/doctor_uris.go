package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// principalURIsSQL reads every principal's URI: a control character is
// looked for in Go (textwidth.FirstControl, as the export and the import
// look), since SQL Server's collations ignore most of them when comparing
// and SQLite has no portable way to find one.
const principalURIsSQL = `SELECT prinID, prinUri FROM tblPrincipal ORDER BY prinID`

// principalURIControls fails a source whose principals' prinUri holds a
// control character (C0, DEL, C1): the export refuses the pool naming
// each (no SIP address has one, and every import refuses it), so the
// pre-flight names them before step 1. Each is named by prinID with its
// URI escaped (never the character itself).
func (d *doctorRun) principalURIControls(ctx context.Context) {
	rows, err := d.s.q().QueryContext(ctx, principalURIsSQL)
	if err != nil {
		d.failed("principals", err)
		return
	}
	var bad []string
	n := 0
	for rows.Next() {
		var id int64
		var uri sql.NullString
		if err := rows.Scan(&id, &uri); err != nil {
			rows.Close()
			d.failed("principals", err)
			return
		}
		if r, ok := textwidth.FirstControl(uri.String); ok {
			if n++; len(bad) < 10 {
				bad = append(bad, fmt.Sprintf("prinID %d (%q: %U)", id, textwidth.Shorten(uri.String), r))
			}
		}
	}
	if err := closeRows(rows); err != nil {
		d.failed("principals", err)
		return
	}
	if n > 0 {
		d.add(DoctorFail, "principals", fmt.Sprintf("%s a prinUri holding a control character, which no SIP address has: %s", numtext.Count(n, "principal has", "principals have"), numtext.Listed(bad, n, ", ")),
			"the export refuses the pool, naming each row (every import refuses such a principal: SQL Server's collations may take it for the address without the character, someone else): correct the address in Active Directory (msRTCSIP-PrimaryUserAddress) and let the pool's user replication update the principal")
	}
}
